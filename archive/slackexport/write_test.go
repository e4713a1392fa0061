package slackexport

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/wrapup/wrapup/archive"
)

// archiveCmp compares archives field for field, Raw included; Warnings are
// about the source read, not the content.
var archiveCmp = []cmp.Option{
	cmpopts.IgnoreUnexported(archive.Archive{}),
	cmpopts.IgnoreFields(archive.Archive{}, "Warnings"),
	cmpopts.EquateEmpty(),
}

func TestRoundTrip(t *testing.T) {
	want := readFixture(t)
	want.Messages[7].Files[0].Content = []byte("\x89PNG fake bytes")
	dir := filepath.Join(t.TempDir(), "out", "archive")
	man, err := Write(dir, want, WriteOptions{Tool: "wrapup test"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := ReadChannel(dir, incident, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, archiveCmp...); diff != "" {
		t.Errorf("Read(Write(x)) != x (-want +got):\n%s", diff)
	}
	if man.Counts != want.Counts() {
		t.Errorf("manifest counts %+v, archive %+v", man.Counts, want.Counts())
	}
	if _, err := Verify(dir, &man.Counts); err != nil {
		t.Errorf("verify: %v", err)
	}

	t.Run("layout and modes", func(t *testing.T) {
		for _, rel := range []string{"channels.json", "users.json", "manifest.json",
			incident + "/2026-03-26.json", incident + "/2026-03-27.json", "files/F07GRAPH01-p99 graph.png"} {
			st, err := os.Stat(filepath.Join(dir, rel))
			if err != nil {
				t.Error(err)
				continue
			}
			if st.Mode().Perm() != 0o600 {
				t.Errorf("%s: mode %v, want 0600", rel, st.Mode().Perm())
			}
		}
		for _, d := range []string{dir, filepath.Join(dir, incident), filepath.Join(dir, "files")} {
			if st, err := os.Stat(d); err != nil || st.Mode().Perm() != 0o700 {
				t.Errorf("%s: %v %v, want 0700", d, st.Mode(), err)
			}
		}
		// Replies are filed on their own day, as Slack does.
		day2, _ := os.ReadFile(filepath.Join(dir, incident, "2026-03-27.json"))
		if !strings.Contains(string(day2), "one more thing, a day later") {
			t.Error("the next-day reply is not in the next day's file")
		}
		entries, _ := os.ReadDir(filepath.Dir(dir))
		if len(entries) != 1 {
			t.Errorf("temporary folders left behind: %v", entries)
		}
	})

	t.Run("rewrite replaces atomically", func(t *testing.T) {
		if _, err := Write(dir, want, WriteOptions{Tool: "wrapup test"}); err != nil {
			t.Fatal(err)
		}
		if _, err := Verify(dir, nil); err != nil {
			t.Error(err)
		}
	})

	t.Run("verify catches tampering", func(t *testing.T) {
		day := filepath.Join(dir, incident, "2026-03-26.json")
		b, _ := os.ReadFile(day)
		os.WriteFile(day, append(b, ' '), 0o600)
		os.WriteFile(filepath.Join(dir, "extra.txt"), []byte("x"), 0o600)
		os.Remove(filepath.Join(dir, "users.json"))
		_, err := Verify(dir, nil)
		for _, want := range []string{"2026-03-26.json: checksum mismatch", "extra.txt: not in the manifest", "users.json: missing"} {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("err = %v, want %q", err, want)
			}
		}
	})

	t.Run("verify catches other counts", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "a")
		man, err := Write(dir, want, WriteOptions{})
		if err != nil {
			t.Fatal(err)
		}
		fetched := man.Counts
		fetched.Replies++
		if _, err := Verify(dir, &fetched); err == nil {
			t.Error("verify accepted counts that differ from what was fetched")
		}
	})
}

func TestWriteBuiltArchive(t *testing.T) {
	// An archive built in code has no Raw: the typed fields are written.
	a := &archive.Archive{
		Channel: archive.Channel{ID: "C1", Name: "incident-x", Private: true},
		Messages: []*archive.Message{
			{TS: archive.MustTS("1774533731.000100"), Type: "message", User: "U1", Text: "hello <b>&amp;</b>",
				ThreadTS: archive.MustTS("1774533731.000100"), ReplyCount: 1},
		},
		Users: []*archive.User{{ID: "U1", Name: "alice"}},
	}
	a.Messages[0].Replies = []*archive.Message{{TS: archive.MustTS("1774533800.000000"), User: "U1", Text: "reply",
		ThreadTS: archive.MustTS("1774533731.000100")}}
	dir := filepath.Join(t.TempDir(), "a")
	if _, err := Write(dir, a, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	got, err := ReadChannel(dir, "incident-x", Options{})
	if err != nil {
		t.Fatal(err)
	}
	opts := append([]cmp.Option{cmpopts.IgnoreFields(archive.Message{}, "Raw"), cmpopts.IgnoreFields(archive.User{}, "Raw")}, archiveCmp...)
	if diff := cmp.Diff(a, got, opts...); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if _, err := os.Stat(filepath.Join(dir, "groups.json")); err != nil {
		t.Error("a private channel goes to groups.json")
	}
}

func TestWriteRefusesUnsafeChannelName(t *testing.T) {
	a := &archive.Archive{Channel: archive.Channel{ID: "C1", Name: "../../etc"}}
	if _, err := Write(filepath.Join(t.TempDir(), "a"), a, WriteOptions{}); err == nil {
		t.Error("a channel name with a path separator was accepted")
	}
}
