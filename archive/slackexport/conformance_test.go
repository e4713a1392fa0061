package slackexport

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
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
