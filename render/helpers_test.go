package render

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/slackexport"
	"github.com/wrapup/wrapup/redact"
	"github.com/wrapup/wrapup/timeline"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

const testWorkspace = "https://acme.slack.com"

// fixtures are the export folders under testdata/exports, with the preset
// each incident's bot needs.
var fixtures = []struct{ name, preset string }{
	{"chatops", "chatops"},
	{"dispatch", "dispatch"},
	{"nobot", "chatops"},
}

// readFixture reads the one channel of testdata/exports/<name>.
func readFixture(t testing.TB, name string) *archive.Archive {
	t.Helper()
	dir := filepath.Join("testdata", "exports", name)
	e, err := slackexport.Open(dir, slackexport.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	chs := e.Channels()
	if len(chs) != 1 {
		t.Fatalf("%s: %d channels, want 1", dir, len(chs))
	}
	arc, err := e.Read(chs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	return arc
}

// buildTimeline builds arc's timeline with one preset and the test workspace.
func buildTimeline(t testing.TB, arc *archive.Archive, preset string) *timeline.Timeline {
	t.Helper()
	cfg := timeline.Defaults()
	cfg.Presets = []string{preset}
	cfg.WorkspaceURL = testWorkspace
	rs, err := timeline.Compile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	tl, err := timeline.Build(arc, rs, timeline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return tl
}

// testOptions are the options the golden files are rendered with.
func testOptions(t testing.TB) Options {
	t.Helper()
	red, err := redact.New(true, []string{`hunter\d`})
	if err != nil {
		t.Fatal(err)
	}
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	return Options{Location: loc, Cadence: 30 * time.Minute, WorkspaceURL: testWorkspace,
		LinkBase: "https://ci.example.com/postmortems", Folder: "2026-03-26-x", Redactor: red, Tool: "wrapup test"}
}

// renderFixture renders a fixture with testOptions.
func renderFixture(t testing.TB, name, preset string, opts Options) *Output {
	t.Helper()
	arc := readFixture(t, name)
	out, err := renderWhole(arc, buildTimeline(t, arc, preset), opts)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// file returns the named output file, failing when absent.
func file(t testing.TB, out *Output, name string) []byte {
	t.Helper()
	for _, f := range out.Files {
		if f.Name == name {
			return f.Data
		}
	}
	t.Fatalf("no %s in the output", name)
	return nil
}

// checkGolden compares got with testdata/<name>.golden, rewriting it under -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (-want +got):\n%s", path, cmp.Diff(string(want), string(got)))
	}
}

// renderWhole is Render with every streamed file written into memory, its
// redactions counted: what a test reads is what a writer would write.
func renderWhole(arc *archive.Archive, tl *timeline.Timeline, opts Options) (*Output, error) {
	out, err := Render(arc, tl, opts)
	if err != nil {
		return nil, err
	}
	for i, f := range out.Files {
		if f.Stream == nil {
			continue
		}
		if out.Files[i].Data, err = f.Bytes(); err != nil {
			return nil, err
		}
		out.Files[i].Stream = nil
	}
	return out, nil
}
