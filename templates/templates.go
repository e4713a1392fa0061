// Package templates holds wrapup's built-in postmortem templates, embedded
// in the binary, and lays a user's template folder over them file by file.
//
// The Markdown templates (*.md.tmpl) are text/template files executed on
// render.Data; the HTML templates (*.html.tmpl) are html/template files
// executed on render.Page. postmortem.md.tmpl, page.html.tmpl and
// transcript.html.tmpl are the entry points; files whose names start with
// "_" are partials they include by file name. REFERENCE.md documents every
// variable and function a template can use.
package templates

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

//go:embed *.tmpl
var builtin embed.FS

// Entry points.
const (
	Markdown   = "postmortem.md.tmpl"
	Page       = "page.html.tmpl"
	Transcript = "transcript.html.tmpl"
)

// Suffixes of the two template families.
const (
	MarkdownSuffix = ".md.tmpl"
	HTMLSuffix     = ".html.tmpl"
)

// File is one template file.
type File struct {
	Name string // the file name, which is also the template's name
	Path string // where it was read from, for error messages
	Text string
}

// Builtin returns the built-in templates, e.g. to copy them as a starting
// point for an override folder.
func Builtin() fs.FS { return builtin }

// Load returns the templates whose names end in suffix: the built-in ones,
// each replaced by the file of the same name in dir when there is one,
// plus dir's other files with that suffix, sorted by name. dir "" gives
// the built-in templates alone.
func Load(dir, suffix string) ([]File, error) {
	files := map[string]File{}
	entries, err := builtin.ReadDir(".")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), suffix) {
			continue
		}
		b, err := builtin.ReadFile(e.Name())
		if err != nil {
			return nil, err
		}
		files[e.Name()] = File{Name: e.Name(), Path: "built-in " + e.Name(), Text: string(b)}
	}
	if dir != "" {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, fmt.Errorf("templates folder: %w", err)
		}
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), suffix) || strings.HasPrefix(e.Name(), ".") {
				continue
			}
			p := filepath.Join(dir, e.Name())
			if !e.Type().IsRegular() {
				if st, err := os.Stat(p); err != nil || !st.Mode().IsRegular() {
					return nil, fmt.Errorf("%s: not a regular file", p)
				}
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return nil, err
			}
			if !isText(b) {
				return nil, fmt.Errorf("%s: %w", p, errNotText)
			}
			files[e.Name()] = File{Name: e.Name(), Path: p, Text: string(b)}
		}
	}
	out := make([]File, 0, len(files))
	for _, f := range files {
		out = append(out, f)
	}
	slices.SortFunc(out, func(a, b File) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

var errNotText = errors.New("not a UTF-8 text file")

// isText reports whether b looks like a template: no NUL bytes.
func isText(b []byte) bool { return !slices.Contains(b, 0) }
