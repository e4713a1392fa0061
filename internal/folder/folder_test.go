package folder

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/render"
	"github.com/wrapup/wrapup/timeline"
)

func TestWrite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out", "2026-03-26-x")
	v1 := []render.OutFile{{Name: render.MarkdownFile, Data: []byte("# v1\n")}, {Name: render.TimelineFile, Data: []byte("{}\n")}}
	v2 := []render.OutFile{{Name: render.MarkdownFile, Data: []byte("# v2\n")}, {Name: render.TimelineFile, Data: []byte("{\"v\":2}\n")}}
	read := func(name string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	step := func(files []render.OutFile, force bool, wantFiles, wantKept []string) {
		t.Helper()
		w, err := WriteDocuments(dir, files, force)
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

	step(v1, false, []string{render.MarkdownFile, render.TimelineFile}, nil)
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
	step(v2, false, []string{render.MarkdownFile, render.TimelineFile}, nil)
	if read(render.MarkdownFile) != "# v2\n" {
		t.Error("an unedited postmortem was not updated")
	}

	// Edited: kept, the new one beside it; timeline.json is always replaced.
	if err := os.WriteFile(filepath.Join(dir, render.MarkdownFile), []byte("# mine\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	step(v1, false, []string{"postmortem.new.md", render.TimelineFile}, []string{render.MarkdownFile})
	if read(render.MarkdownFile) != "# mine\n" || read("postmortem.new.md") != "# v1\n" || read(render.TimelineFile) != "{}\n" {
		t.Error("the edited postmortem was not kept, or the new one not written beside it")
	}
	// Still edited on the next run: the record is of what wrapup wrote, not of the .new file.
	step(v2, false, []string{"postmortem.new.md", render.TimelineFile}, []string{render.MarkdownFile})

	// --force overwrites.
	step(v2, true, []string{render.MarkdownFile, render.TimelineFile}, nil)
	if read(render.MarkdownFile) != "# v2\n" {
		t.Error("--force did not overwrite")
	}
	step(v1, false, []string{render.MarkdownFile, render.TimelineFile}, nil)

	// A postmortem with no record, e.g. state lost: kept unless identical.
	if err := os.Remove(filepath.Join(dir, StateFile)); err != nil {
		t.Fatal(err)
	}
	step(v1, false, []string{render.MarkdownFile, render.TimelineFile}, nil)
	if err := os.Remove(filepath.Join(dir, StateFile)); err != nil {
		t.Fatal(err)
	}
	step(v2, false, []string{"postmortem.new.md", render.TimelineFile}, []string{render.MarkdownFile})
}

func TestWriteErrors(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, StateFile), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteDocuments(dir, []render.OutFile{{Name: render.MarkdownFile, Data: nil}}, false); err == nil || !strings.Contains(err.Error(), StateFile) {
		t.Errorf("a corrupt state file gave %v, want an error naming it", err)
	}
	for _, name := range []string{"../x.md", ".hidden", "a/b.md", ""} {
		if _, err := WriteDocuments(t.TempDir(), []render.OutFile{{Name: name, Data: nil}}, false); err == nil {
			t.Errorf("Write accepted the file name %q", name)
		}
	}
}

// TestName: DESIGN "Output": <YYYY-MM-DD>-<channel-name>, dated by the
// declaration (UTC), else by the channel's creation; the name is one safe
// path element whatever the channel is called.
func TestName(t *testing.T) {
	declared := time.Date(2026, 3, 26, 23, 30, 0, 0, time.FixedZone("CET", 3600)) // 22:30 UTC
	arc := &archive.Archive{Channel: archive.Channel{ID: "C1", Name: "incident-2026-03-26-api-latency", Created: 1774400000}}
	if got := Name(arc, &timeline.Timeline{Incident: timeline.Incident{DeclaredAt: &declared}}); got != "2026-03-26-incident-2026-03-26-api-latency" {
		t.Errorf("Name = %q", got)
	}
	if got := Name(arc, &timeline.Timeline{}); got != "2026-03-25-incident-2026-03-26-api-latency" {
		t.Errorf("Name without a declaration = %q, want the creation date", got)
	}
	if got := Name(&archive.Archive{Channel: archive.Channel{ID: "C2"}}, nil); got != "undated-C2" {
		t.Errorf("Name of a bare channel = %q", got)
	}
	for in, want := range map[string]string{"../../etc": "-..-etc", "a/b\\c": "a-b-c", "...": "channel", "ok_name-1.2": "ok_name-1.2"} {
		if got := SafeName(in); got != want {
			t.Errorf("SafeName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestWriteStreamed: a document rendered as it is written (a long
// transcript) is treated like any other: written whole, its sha256
// recorded, a person's edit kept with the new version beside it. A stream
// that fails leaves the old document and no temporary file, and the error
// names the document.
func TestWriteStreamed(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "2026-03-26-x")
	streamOf := func(parts ...string) render.OutFile {
		return render.OutFile{Name: render.TranscriptFile, Stream: func(w io.Writer) error {
			for _, p := range parts {
				if _, err := io.WriteString(w, p); err != nil {
					return err
				}
			}
			return nil
		}}
	}
	read := func(name string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if _, err := WriteDocuments(dir, []render.OutFile{streamOf("<ol>", strings.Repeat("<li>m</li>", 100_000), "</ol>")}, false); err != nil {
		t.Fatal(err)
	}
	if got := read(render.TranscriptFile); len(got) != 9+10*100_000 || !strings.HasSuffix(got, "</li></ol>") {
		t.Fatalf("transcript.html has %d bytes", len(got))
	}
	// Unedited: replaced. The recorded sum is the streamed bytes' one.
	if _, err := WriteDocuments(dir, []render.OutFile{streamOf("<ol>", "v2", "</ol>")}, false); err != nil {
		t.Fatal(err)
	}
	if got := read(render.TranscriptFile); got != "<ol>v2</ol>" {
		t.Fatalf("rerun wrote %q", got)
	}
	// Edited by a person: kept, the new version beside it.
	if err := os.WriteFile(filepath.Join(dir, render.TranscriptFile), []byte("annotated"), 0o600); err != nil {
		t.Fatal(err)
	}
	w, err := WriteDocuments(dir, []render.OutFile{streamOf("<ol>", "v3", "</ol>")}, false)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{render.TranscriptFile}, w.Kept); diff != "" {
		t.Errorf("Kept (-want +got):\n%s", diff)
	}
	if read(render.TranscriptFile) != "annotated" || read("transcript.new.html") != "<ol>v3</ol>" {
		t.Errorf("the edit or the new version is lost: %q, %q", read(render.TranscriptFile), read("transcript.new.html"))
	}
	// A stream that fails halfway: nothing replaced, nothing left over.
	failing := render.OutFile{Name: render.TranscriptFile, Stream: func(w io.Writer) error {
		io.WriteString(w, strings.Repeat("x", 1<<20))
		return errors.New("message 1774569608.028724: boom")
	}}
	_, err = WriteDocuments(dir, []render.OutFile{failing}, true)
	if err == nil || !strings.Contains(err.Error(), "transcript.html") || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("a failing stream gave %v; want an error naming the file and the cause", err)
	}
	if read(render.TranscriptFile) != "annotated" {
		t.Error("a failed stream replaced the document")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("a temporary file was left: %s", e.Name())
		}
	}
}
