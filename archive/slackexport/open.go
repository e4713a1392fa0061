package slackexport

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"sync/atomic"
)

// DefaultMaxBytes is how many uncompressed bytes a read may take from an
// export before it stops, unless Options.MaxBytes says otherwise. It guards
// against zip bombs; a real incident channel is far smaller.
const DefaultMaxBytes = 4 << 30

// ErrTooLarge is returned when an export holds more than Options.MaxBytes.
var ErrTooLarge = errors.New("export exceeds the uncompressed size limit (raise it with wrapup render --max-export-bytes)")

// ErrAmbiguous is wrapped by Read when a channel name names more than one
// channel of the export.
var ErrAmbiguous = errors.New("the channel name is ambiguous")

// Options tune how an export is read.
type Options struct {
	// MaxBytes caps the uncompressed bytes read; 0 means DefaultMaxBytes.
	MaxBytes int64
}

// source is an export opened as a file system: a zip or a folder, with the
// folder that holds channels.json as its root.
type source struct {
	name   string // the path the user gave, for errors
	fsys   fs.FS
	prefix string // "" or "top/" when the zip wraps everything in one folder
	closer io.Closer
	budget atomic.Int64 // uncompressed bytes left to read
}

func openSource(p string, opts Options) (*source, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	max := opts.MaxBytes
	if max <= 0 {
		max = DefaultMaxBytes
	}
	s := &source{name: p}
	s.budget.Store(max)
	if st.IsDir() {
		root, err := os.OpenRoot(p)
		if err != nil {
			return nil, err
		}
		// os.Root refuses paths and symlinks that lead outside the folder.
		s.fsys, s.closer = root.FS(), root
	} else {
		zr, err := zip.OpenReader(p)
		if err != nil {
			return nil, fmt.Errorf("%s: not a zip file or a folder: %w", p, err)
		}
		if err := checkZip(&zr.Reader); err != nil {
			zr.Close()
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		s.fsys, s.closer = &zr.Reader, zr
	}
	if err := s.findRoot(); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// checkZip refuses archives whose entries could land outside a folder they
// were extracted into: parent references, absolute paths, backslashes and
// symlinks. wrapup never extracts, but a refused export is never half-read.
func checkZip(zr *zip.Reader) error {
	for _, f := range zr.File {
		name := f.Name
		switch {
		case strings.HasPrefix(name, "/"), strings.Contains(name, `\`), len(name) > 1 && name[1] == ':':
			return fmt.Errorf("zip entry %q: absolute path refused", name)
		case slices.Contains(strings.Split(name, "/"), ".."):
			return fmt.Errorf("zip entry %q: parent reference refused", name)
		case f.Mode()&fs.ModeSymlink != 0:
			return fmt.Errorf("zip entry %q: symlink refused", name)
		}
	}
	return nil
}

// findRoot locates channels.json (or users.json) at the top, or inside a
// single top-level folder, as zips made from a folder have it.
func (s *source) findRoot() error {
	if s.exists("channels.json") || s.exists("users.json") || s.exists("groups.json") {
		return nil
	}
	entries, err := fs.ReadDir(s.fsys, ".")
	if err != nil {
		return fmt.Errorf("%s: %w", s.name, err)
	}
	var dirs []string
	for _, e := range entries {
		if e.IsDir() {
			dirs = append(dirs, e.Name())
		}
	}
	if len(dirs) == 1 {
		s.prefix = dirs[0] + "/"
		if s.exists("channels.json") || s.exists("groups.json") {
			return nil
		}
	}
	return fmt.Errorf("%s: not a Slack export: no channels.json or groups.json", s.name)
}

func (s *source) exists(name string) bool {
	_, err := fs.Stat(s.fsys, s.prefix+name)
	return err == nil
}

// size is a file's size as the zip header or the folder gives it: a claim,
// charged before reading and checked by counting while reading.
func (s *source) size(name string) (int64, error) {
	st, err := fs.Stat(s.fsys, s.prefix+name)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", path.Join(s.name, s.prefix+name), err)
	}
	return st.Size(), nil
}

// charge takes n bytes from the budget, or fails naming what needed them.
func (s *source) charge(name string, n int64) error {
	if n < 0 || s.budget.Add(-n) < 0 {
		return fmt.Errorf("%s: %w", path.Join(s.name, s.prefix+name), ErrTooLarge)
	}
	return nil
}

// openCharged opens a file whose declared size was charged: reading past
// that size charges each byte as it comes, so a size that lies cannot take
// more than the budget.
func (s *source) openCharged(name string, declared int64) (io.ReadCloser, error) {
	f, err := s.fsys.Open(s.prefix + name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path.Join(s.name, s.prefix+name), err)
	}
	return &chargedReader{f: f, src: s, name: name, left: declared}, nil
}

// chargedReader counts what it reads against the budget.
type chargedReader struct {
	f    fs.File
	src  *source
	name string
	left int64 // bytes already charged and not yet read
}

func (r *chargedReader) Read(p []byte) (int, error) {
	n, err := r.f.Read(p)
	if over := int64(n) - r.left; over > 0 {
		r.left = 0
		if cerr := r.src.charge(r.name, over); cerr != nil {
			return 0, cerr
		}
	} else {
		r.left -= int64(n)
	}
	return n, err
}

func (r *chargedReader) Close() error { return r.f.Close() }

// readFile reads one file of the export whole, charging its declared size
// before reading and any byte past it while reading.
func (s *source) readFile(name string) ([]byte, error) {
	hint, err := s.size(name)
	if err != nil {
		return nil, err
	}
	if err := s.charge(name, hint); err != nil {
		return nil, err
	}
	f, err := s.openCharged(name, hint)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Start from the declared size (one allocation for an honest export)
	// but never trust it past 64 MiB.
	buf := bytes.NewBuffer(make([]byte, 0, min(hint, 64<<20)+1))
	if _, err := buf.ReadFrom(f); err != nil {
		if errors.Is(err, ErrTooLarge) {
			return nil, err
		}
		return nil, fmt.Errorf("%s: %w", path.Join(s.name, s.prefix+name), err)
	}
	return buf.Bytes(), nil
}

// readDir lists a folder of the export; a missing folder is empty.
func (s *source) readDir(name string) ([]fs.DirEntry, error) {
	entries, err := fs.ReadDir(s.fsys, s.prefix+name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return entries, err
}

func (s *source) Close() error {
	if s.closer == nil {
		return nil
	}
	return s.closer.Close()
}
