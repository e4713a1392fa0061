// Package atomicfile writes a file so that a reader, or a run killed at
// any moment, sees the old file or the new one, whole: wrapup's one way of
// writing into an incident folder (documents, wrapup.json, checkpoints).
package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"
)

// Write writes data to path with mode perm: to a temporary file in the
// same folder, synced, renamed over path, and the folder synced so that
// the rename survives a crash.
func Write(path string, data []byte, perm os.FileMode) error {
	t, err := Create(path, perm)
	if err != nil {
		return err
	}
	if _, err := t.Write(data); err != nil {
		t.Discard()
		return err
	}
	return t.Commit(path)
}

// A Temp is a file being written beside its place, for a content too
// large to hold in memory: what is written goes to a temporary file in
// the folder, and Commit moves it into place whole, under a name that may
// be decided only once it is written (a document's .new name). Discard
// removes it; after Commit, Discard does nothing.
type Temp struct {
	f    *os.File
	path string // the name given to Create, for errors
	done bool
}

// Create starts writing a file meant for path, with mode perm.
func Create(path string, perm os.FileMode) (*Temp, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-")
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Chmod(perm); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	return &Temp{f: f, path: path}, nil
}

// Write appends p to the temporary file.
func (t *Temp) Write(p []byte) (int, error) {
	n, err := t.f.Write(p)
	if err != nil {
		err = fmt.Errorf("write %s: %w", t.path, err)
	}
	return n, err
}

// Commit syncs the file, renames it to path (in the folder Create was
// given) and syncs the folder so that the rename survives a crash. On
// error the temporary file is gone.
func (t *Temp) Commit(path string) (err error) {
	if t.done {
		return fmt.Errorf("write %s: already committed or discarded", path)
	}
	if filepath.Dir(path) != filepath.Dir(t.path) {
		t.Discard()
		return fmt.Errorf("write %s: not in the folder of %s", path, t.path)
	}
	t.done = true
	tmp := t.f.Name()
	defer func() {
		if err != nil {
			t.f.Close()
			os.Remove(tmp)
		}
	}()
	if err = t.f.Sync(); err != nil {
		return fmt.Errorf("write %s: fsync: %w", path, err)
	}
	if err = t.f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	// The rename is durable only once the folder is synced; not every
	// platform can open a folder for that, so failure here is not fatal.
	if d, derr := os.Open(filepath.Dir(path)); derr == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// Discard removes the temporary file.
func (t *Temp) Discard() {
	if t.done {
		return
	}
	t.done = true
	t.f.Close()
	os.Remove(t.f.Name())
}
