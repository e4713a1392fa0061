// Package templates holds wrapup's built-in postmortem templates, embedded
// in the binary, and lays a user's template folder over them file by file.
//
// The Markdown templates (*.md.tmpl) are text/template files executed on
// render.Data; the HTML templates (*.html.tmpl) are html/template files
// executed on render.Page. postmortem.md.tmpl, page.html.tmpl and
// transcript.html.tmpl are the entry points; files whose names start with
// "_" are partials they include by file name. REFERENCE.md documents every
// variable and function a template can use.
//
// The library's index (package library) is a second family in the same
// folder: index.md.tmpl and index.html.tmpl, executed on library.Index,
// with partials named "_index*". [Load] returns the postmortem's family
// and [LoadIndex] the index's, so neither parses the other's files.
package templates

import (
	"embed"
	"errors"
	"fmt"
	"io"
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

// Entry points of the index family (see [LoadIndex]).
const (
	IndexMarkdown = "index.md.tmpl"
	IndexHTML     = "index.html.tmpl"
)

// IsIndex reports whether the template file name belongs to the index's
// family: index.* and the partials _index*.
func IsIndex(name string) bool {
	return strings.HasPrefix(name, "index.") || strings.HasPrefix(name, "_index")
}

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

// Load returns the postmortem's templates whose names end in suffix: the
// built-in ones, each replaced by the file of the same name in dir when
// there is one, plus dir's other files with that suffix, sorted by name.
// dir "" gives the built-in templates alone. The index's files (see
// [IsIndex]) are left out.
func Load(dir, suffix string) ([]File, error) {
	return load(dir, suffix, func(name string) bool { return !IsIndex(name) })
}

// LoadIndex is [Load] for the index's family: index.md.tmpl or
// index.html.tmpl and the "_index*" partials, built-in or from dir.
func LoadIndex(dir, suffix string) ([]File, error) {
	return load(dir, suffix, IsIndex)
}

func load(dir, suffix string, keep func(name string) bool) ([]File, error) {
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
		if err := loadDir(dir, suffix, files); err != nil {
			return nil, err
		}
	}
	out := make([]File, 0, len(files))
	for _, f := range files {
		if keep(f.Name) {
			out = append(out, f)
		}
	}
	slices.SortFunc(out, func(a, b File) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

var errNotText = errors.New("not a UTF-8 text file")

// FileError is a template file that could not be used: refused or
// unreadable. Path is where it is.
type FileError struct {
	Path string
	Err  error
}

func (e *FileError) Error() string { return "template " + e.Path + ": " + e.Err.Error() }
func (e *FileError) Unwrap() error { return e.Err }

// ErrNotRegular is the error for a template that is a symbolic link, a
// folder or a device: a link could publish any file the job can read
// (a pull request that adds templates/postmortem.md.tmpl -> /etc/passwd).
var ErrNotRegular = errors.New("not a regular file (symbolic links are refused)")

// loadDir reads dir's files with suffix into files. It opens them through
// an os.Root, so no name resolves outside dir, and refuses any that is not
// a regular file, symbolic links included, even to a file inside dir.
func loadDir(dir, suffix string, files map[string]File) error {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return fmt.Errorf("templates folder: %w", err)
	}
	defer root.Close()
	entries, err := fs.ReadDir(root.FS(), ".")
	if err != nil {
		return fmt.Errorf("templates folder: %w", err)
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), suffix) || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		p := filepath.Join(dir, e.Name())
		b, err := readRegular(root, e.Name())
		if err != nil {
			return &FileError{Path: p, Err: err}
		}
		if !isText(b) {
			return &FileError{Path: p, Err: errNotText}
		}
		files[e.Name()] = File{Name: e.Name(), Path: p, Text: string(b)}
	}
	return nil
}

// readRegular reads the regular file name in root. The file opened must be
// the one Lstat saw, so that a link swapped in between is refused too.
func readRegular(root *os.Root, name string) ([]byte, error) {
	st, err := root.Lstat(name)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, ErrNotRegular
	}
	f, err := root.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if got, err := f.Stat(); err != nil || !os.SameFile(st, got) {
		return nil, ErrNotRegular
	}
	return io.ReadAll(f)
}

// isText reports whether b looks like a template: no NUL bytes.
func isText(b []byte) bool { return !slices.Contains(b, 0) }
