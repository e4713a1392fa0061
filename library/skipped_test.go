package library_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrapup/wrapup/library"
)

// TestSkipped: folders that are not incidents', or that another version
// of wrapup wrote, are left out and said so, by name and why; the rest of
// the library is indexed all the same.
func TestSkipped(t *testing.T) {
	dir := t.TempDir()
	specs := generate(3, 2, genStart, 5)
	specs = append(specs,
		spec{folder: "2024-05-01-old-schema", rawTimeline: `{"schema":"wrapup.timeline/v0","incident":{"title":"old"}}`},
		spec{folder: "2024-05-02-no-schema", rawTimeline: `{"incident":{"title":"hand-made"}}`},
		spec{folder: "2024-05-03-broken", rawTimeline: `{"schema":"wrapup.timeline/v1",`},
	)
	write(t, dir, specs)
	for _, d := range []string{"notes", ".git", ".wrapup-C0STAGING"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(t, filepath.Join(dir, "README.md"), "not a folder")
	// A record from a version whose tickets were a list.
	bad := filepath.Join(dir, "2024-05-04-bad-record")
	write(t, dir, []spec{{folder: "2024-05-04-bad-record", title: "bad record", declared: &genStart}})
	writeFile(t, filepath.Join(bad, "wrapup.json"), `{"tickets":[1,2]}`)
	if err := os.Symlink(filepath.Join(dir, specs[0].folder), filepath.Join(dir, "2024-06-01-link")); err != nil {
		t.Fatal(err)
	}

	idx, err := library.Build(context.Background(), library.Options{Dir: dir, Now: genNow})
	if err != nil {
		t.Fatal(err)
	}
	if len(idx.Incidents) != 3 {
		t.Errorf("%d incidents indexed, want the 3 good ones", len(idx.Incidents))
	}
	got := map[string]string{}
	for _, s := range idx.Skipped {
		got[s.Folder] = s.Why
	}
	want := map[string]string{
		".wrapup-C0STAGING":     "staging folder",
		"2024-05-01-old-schema": `timeline.json: schema "wrapup.timeline/v0", want "wrapup.timeline/v1"`,
		"2024-05-02-no-schema":  `timeline.json: no "schema" field`,
		"2024-05-03-broken":     "timeline.json: unexpected EOF",
		"2024-05-04-bad-record": `field "tickets"`,
		"2024-06-01-link":       "symbolic link",
		"notes":                 "no timeline.json: not an incident folder",
	}
	if len(got) != len(want) {
		t.Errorf("skipped (-want +got):\n%s", cmp.Diff(want, got))
	}
	for folder, w := range want {
		if !strings.Contains(got[folder], w) {
			t.Errorf("skipped %s: %q, want it to say %q", folder, got[folder], w)
		}
	}
	// The documents list them.
	docs, err := library.Render(idx, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, doc := range [][]byte{docs.Markdown, docs.HTML} {
		if !strings.Contains(string(doc), "2024-05-01-old-schema") || !strings.Contains(string(doc), "Folders left out") {
			t.Errorf("a document does not list the skipped folders")
		}
	}
	// An output folder that does not exist is an error naming it.
	if _, err := library.Build(context.Background(), library.Options{Dir: filepath.Join(dir, "missing")}); err == nil ||
		!strings.Contains(err.Error(), "missing") {
		t.Errorf("Build of a missing folder: %v", err)
	}
}
