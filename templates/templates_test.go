package templates

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeFile writes a file for a test, failing it on error.
func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestLoadOverrides(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, Markdown), "mine")
	writeFile(t, filepath.Join(dir, "_extra.md.tmpl"), "extra")
	writeFile(t, filepath.Join(dir, "notes.txt"), "ignored")
	files, err := Load(dir, MarkdownSuffix)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range files {
		got[f.Name] = f.Text
	}
	if got[Markdown] != "mine" || got["_extra.md.tmpl"] != "extra" || got["_header.md.tmpl"] == "" {
		t.Errorf("Load did not lay the folder over the built-in templates: %v", got)
	}
}

// TestLoadRefusesLinks: a template that is a symbolic link, to a file
// outside the folder or inside it, is refused with an error naming it
// (issue 12, item 7: a template linked to /etc/passwd published it).
func TestLoadRefusesLinks(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "secret.txt")
	writeFile(t, outside, "root:x:0:0")
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string) string // returns the template's path
	}{
		{"link outside", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, Markdown)
			if err := os.Symlink(outside, p); err != nil {
				t.Fatal(err)
			}
			return p
		}},
		{"relative link outside", func(t *testing.T, dir string) string {
			rel, err := filepath.Rel(dir, outside)
			if err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(dir, "_header.md.tmpl")
			if err := os.Symlink(rel, p); err != nil {
				t.Fatal(err)
			}
			return p
		}},
		{"link inside", func(t *testing.T, dir string) string {
			writeFile(t, filepath.Join(dir, "real.txt"), "{{.Title}}")
			p := filepath.Join(dir, Markdown)
			if err := os.Symlink("real.txt", p); err != nil {
				t.Fatal(err)
			}
			return p
		}},
		{"folder", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, Markdown)
			if err := os.Mkdir(p, 0o700); err != nil {
				t.Fatal(err)
			}
			return p
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			p := tt.setup(t, dir)
			files, err := Load(dir, MarkdownSuffix)
			if err == nil {
				for _, f := range files {
					if strings.Contains(f.Text, "root:x") {
						t.Fatalf("Load read the linked file into %s", f.Name)
					}
				}
				t.Fatalf("Load(%s) = nil error, want %v", dir, ErrNotRegular)
			}
			if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), p) {
				t.Errorf("Load error %q, want one naming %s and wrapping %v", err, p, ErrNotRegular)
			}
		})
	}
}

func TestLoadRefusesBinary(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, Markdown)
	writeFile(t, p, "a\x00b")
	_, err := Load(dir, MarkdownSuffix)
	if err == nil || !strings.Contains(err.Error(), p) {
		t.Errorf("Load error %v, want one naming %s", err, p)
	}
}
