package slackexport

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/internal/testenv"
)

// TestConformanceExports reads every channel of the real exports in
// ../shared/conformance, as a folder and as a zip, and checks the round trip.
func TestConformanceExports(t *testing.T) {
	root := filepath.Join(testenv.Conformance(t), "export-legacy-2016_slack-export-viewer")
	for _, src := range []string{filepath.Join(root, "testarchive"), filepath.Join(root, "testarchive.zip")} {
		e, err := Open(src, Options{})
		if err != nil {
			t.Fatal(err)
		}
		infos := e.Channels()
		if len(infos) == 0 {
			t.Fatalf("%s: no channels", src)
		}
		for _, info := range infos {
			t.Run(filepath.Base(src)+"/"+info.Name, func(t *testing.T) {
				a, err := e.Read(info.ID)
				if err != nil {
					t.Fatal(err)
				}
				if len(a.Messages) == 0 || len(a.Users) == 0 {
					t.Fatalf("%d messages, %d users", len(a.Messages), len(a.Users))
				}
				if a.Channel.Created == 0 {
					t.Error("created (a string in this export) was not read")
				}
				roundTrip(t, a)
			})
		}
		e.Close()
	}
}

// TestConformanceMessages puts every real message sample into a day file and
// reads it back: nothing may fail to decode, and Raw is what was sent.
func TestConformanceMessages(t *testing.T) {
	conf := testenv.Conformance(t)
	var files []string
	for _, dir := range []string{"export-messages_zulip", "message-subtypes_slack-go"} {
		found, _ := filepath.Glob(filepath.Join(conf, dir, "*.json"))
		files = append(files, found...)
	}
	if len(files) < 30 {
		t.Fatalf("found only %d sample files", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			data = bytes.TrimSpace(data)
			if data[0] == '{' {
				data = append(append([]byte("[\n"), data...), "\n]"...)
			}
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "channels.json"), []byte(`[{"id":"C1","name":"c","created":1}]`), 0o600)
			os.Mkdir(filepath.Join(dir, "c"), 0o700)
			os.WriteFile(filepath.Join(dir, "c", "2020-01-01.json"), data, 0o600)
			a, err := ReadChannel(dir, "c", Options{})
			if err != nil {
				t.Fatal(err)
			}
			var raws []json.RawMessage
			json.Unmarshal(data, &raws)
			var n int
			for m := range a.All() {
				n++
				if m.TS == 0 {
					t.Errorf("message without ts: %s", m.Raw)
				}
				if !bytes.Contains(m.Raw, []byte("xox")) && len(m.Files) == 0 && !json.Valid(m.Raw) {
					t.Errorf("invalid raw %s", m.Raw)
				}
			}
			if n != len(raws) {
				t.Errorf("read %d messages of %d", n, len(raws))
			}
			out := roundTrip(t, a)
			if strings.Contains(out, "xoxe-") {
				t.Error("an export token reached the written archive")
			}
		})
	}
}

// roundTrip writes a and reads it back, and returns the written day files'
// text.
func roundTrip(t *testing.T, a *archive.Archive) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "archive")
	man, err := Write(dir, a, WriteOptions{Tool: "test"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := ReadChannel(dir, a.Channel.ID, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(written(t, a), got, writtenCmp...); diff != "" {
		t.Errorf("Read(Write(x)) != x (-want +got):\n%s", diff)
	}
	if _, err := Verify(dir, &man.Counts); err != nil {
		t.Error(err)
	}
	again, err := Write(filepath.Join(t.TempDir(), "again"), got, WriteOptions{Tool: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(man.Files, again.Files); diff != "" {
		t.Errorf("Write(Read(Write(x))) != Write(x): checksums (-first +second):\n%s", diff)
	}
	var all strings.Builder
	days, _ := filepath.Glob(filepath.Join(dir, "*", "*.json"))
	for _, d := range days {
		b, _ := os.ReadFile(d)
		all.Write(b)
	}
	return all.String()
}

// TestConformanceThreadShape writes a real exported thread whose parent
// lists no replies (Zulip's thread_with_broadcast_reply.json) and checks
// that the parent then carries them in the shape of a real parent
// (slack-go's channelRepliesParentMessage.json: "replies" entries with
// exactly user and ts, reply_count a number), and that
// slack-export-viewer's rules nest both replies, the broadcast included.
func TestConformanceThreadShape(t *testing.T) {
	conf := testenv.Conformance(t)
	var sample struct {
		ReplyCount json.RawMessage  `json:"reply_count"`
		Replies    []map[string]any `json:"replies"`
	}
	b, err := os.ReadFile(filepath.Join(conf, "message-subtypes_slack-go", "channelRepliesParentMessage.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &sample); err != nil || len(sample.Replies) == 0 {
		t.Fatalf("the sample parent: %v, %+v", err, sample)
	}
	thread, err := os.ReadFile(filepath.Join(conf, "export-messages_zulip", "thread_with_broadcast_reply.json"))
	if err != nil {
		t.Fatal(err)
	}
	src := t.TempDir()
	os.WriteFile(filepath.Join(src, "channels.json"), []byte(`[{"id":"C1","name":"random","created":1}]`), 0o600)
	os.WriteFile(filepath.Join(src, "users.json"), []byte(`[{"id":"U061A5N1G","name":"a"},{"id":"U061A1R2R","name":"b"}]`), 0o600)
	os.Mkdir(filepath.Join(src, "random"), 0o700)
	os.WriteFile(filepath.Join(src, "random", "2015-06-12.json"), thread, 0o600)
	a, err := ReadChannel(src, "random", Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "archive")
	if _, err := Write(dir, a, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	var day []struct {
		TS         string           `json:"ts"`
		ReplyCount json.RawMessage  `json:"reply_count"`
		Replies    []map[string]any `json:"replies"`
	}
	b, _ = os.ReadFile(filepath.Join(dir, "random", "2015-06-12.json"))
	if err := json.Unmarshal(b, &day); err != nil || len(day) != 3 {
		t.Fatalf("written day: %v, %s", err, b)
	}
	parent := day[0]
	if len(parent.Replies) != 2 {
		t.Fatalf("parent replies = %v", parent.Replies)
	}
	for _, r := range parent.Replies {
		if !slices.Equal(slices.Sorted(maps.Keys(r)), slices.Sorted(maps.Keys(sample.Replies[0]))) {
			t.Errorf("reply entry %v: keys differ from a real parent's %v", r, sample.Replies[0])
		}
	}
	if (parent.ReplyCount[0] == '"') != (sample.ReplyCount[0] == '"') {
		t.Errorf("reply_count %s is not written as a real parent's %s", parent.ReplyCount, sample.ReplyCount)
	}
	lines, members := viewerThreads(t, os.DirFS(dir))
	want := []string{"1434139102.000002 thread message", "  1434139103.000002 first reply", "  1434139104.000002 everyone should see this"}
	if !slices.Equal(lines, want) {
		t.Errorf("the viewer shows\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	if want := []string{"U061A1R2R", "U061A5N1G"}; !slices.Equal(members, want) {
		t.Errorf("members = %v, want %v", members, want)
	}
}
