package timeline

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrapup/wrapup/archive"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

const testWorkspace = "https://acme.slack.com"

// fixture is a synthetic channel in testdata/<name>.json: channels.json's
// channel object and its messages, flat, as an export's day files hold them.
type fixture struct {
	Channel  archive.Channel    `json:"channel"`
	Messages []*archive.Message `json:"messages"`
}

// loadArchive reads testdata/<name>.json and testdata/users.json.
func loadArchive(t testing.TB, name string) *archive.Archive {
	t.Helper()
	var f fixture
	readJSON(t, filepath.Join("testdata", name+".json"), &f)
	var users []*archive.User
	readJSON(t, filepath.Join("testdata", "users.json"), &users)
	roots, warnings := archive.Thread(f.Messages)
	return &archive.Archive{Channel: f.Channel, Messages: roots, Users: users, Warnings: warnings}
}

func readJSON(t testing.TB, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// compile compiles cfg, failing the test on error.
func compile(t testing.TB, cfg Config) *Ruleset {
	t.Helper()
	rs, err := Compile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// build runs Build with Explain on, failing the test on error.
func build(t testing.TB, arc *archive.Archive, rs *Ruleset) *Timeline {
	t.Helper()
	tl, err := Build(arc, rs, Options{Explain: true})
	if err != nil {
		t.Fatal(err)
	}
	return tl
}

// presetConfig is the default config with one preset and a workspace URL.
func presetConfig(name string) Config {
	cfg := Defaults()
	cfg.Presets = []string{name}
	cfg.WorkspaceURL = testWorkspace
	return cfg
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

func encode(t testing.TB, tl *Timeline) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Encode(&buf, tl); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func ptr[T any](v T) *T { return &v }
