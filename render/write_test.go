package render

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestWrite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out", "2026-03-26-x")
	v1 := []OutFile{{MarkdownFile, []byte("# v1\n")}, {TimelineFile, []byte("{}\n")}}
	v2 := []OutFile{{MarkdownFile, []byte("# v2\n")}, {TimelineFile, []byte("{\"v\":2}\n")}}
	read := func(name string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	step := func(files []OutFile, force bool, wantFiles, wantKept []string) {
		t.Helper()
		w, err := Write(dir, files, force)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(wantFiles, w.Files); diff != "" {
			t.Errorf("Files (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(wantKept, w.Kept); diff != "" {
			t.Errorf("Kept (-want +got):\n%s", diff)
		}
	}

	step(v1, false, []string{MarkdownFile, TimelineFile}, nil)
	for _, p := range []string{filepath.Dir(dir), dir} {
		if st, _ := os.Stat(p); st.Mode().Perm() != 0o700 {
			t.Errorf("%s has mode %v, want 0700", p, st.Mode().Perm())
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if st, _ := e.Info(); st.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", e.Name(), st.Mode().Perm())
		}
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("a temporary file was left: %s", e.Name())
		}
	}

	// Unedited: a rerun replaces it.
	step(v2, false, []string{MarkdownFile, TimelineFile}, nil)
	if read(MarkdownFile) != "# v2\n" {
		t.Error("an unedited postmortem was not updated")
	}

	// Edited: kept, the new one beside it; timeline.json is always replaced.
	if err := os.WriteFile(filepath.Join(dir, MarkdownFile), []byte("# mine\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	step(v1, false, []string{"postmortem.new.md", TimelineFile}, []string{MarkdownFile})
	if read(MarkdownFile) != "# mine\n" || read("postmortem.new.md") != "# v1\n" || read(TimelineFile) != "{}\n" {
		t.Error("the edited postmortem was not kept, or the new one not written beside it")
	}
	// Still edited on the next run: the record is of what wrapup wrote, not of the .new file.
	step(v2, false, []string{"postmortem.new.md", TimelineFile}, []string{MarkdownFile})

	// --force overwrites.
	step(v2, true, []string{MarkdownFile, TimelineFile}, nil)
	if read(MarkdownFile) != "# v2\n" {
		t.Error("--force did not overwrite")
	}
	step(v1, false, []string{MarkdownFile, TimelineFile}, nil)

	// A postmortem with no record, e.g. state lost: kept unless identical.
	if err := os.Remove(filepath.Join(dir, StateFile)); err != nil {
		t.Fatal(err)
	}
	step(v1, false, []string{MarkdownFile, TimelineFile}, nil)
	if err := os.Remove(filepath.Join(dir, StateFile)); err != nil {
		t.Fatal(err)
	}
	step(v2, false, []string{"postmortem.new.md", TimelineFile}, []string{MarkdownFile})
}

func TestWriteErrors(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, StateFile), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Write(dir, []OutFile{{MarkdownFile, nil}}, false); err == nil || !strings.Contains(err.Error(), StateFile) {
		t.Errorf("a corrupt state file gave %v, want an error naming it", err)
	}
	for _, name := range []string{"../x.md", ".hidden", "a/b.md", ""} {
		if _, err := Write(t.TempDir(), []OutFile{{name, nil}}, false); err == nil {
			t.Errorf("Write accepted the file name %q", name)
		}
	}
}

func TestFolder(t *testing.T) {
	arc := readFixture(t, "chatops")
	tl := buildTimeline(t, arc, "chatops")
	if got := Folder(arc, tl); got != "2026-03-26-incident-2026-03-26-api-latency" {
		t.Errorf("Folder = %q", got)
	}
	for in, want := range map[string]string{"../../etc": "-..-etc", "a/b\\c": "a-b-c", "...": "channel", "ok_name-1.2": "ok_name-1.2"} {
		if got := SafeName(in); got != want {
			t.Errorf("SafeName(%q) = %q, want %q", in, got, want)
		}
	}
}
