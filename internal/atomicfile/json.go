package atomicfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"
)

// ErrUnchanged, returned by an update, leaves the file as it is.
var ErrUnchanged = errors.New("unchanged")

// locks serialises UpdateJSON per file within the process, so that two
// writers of one file (the run record and the tickets ledger both write
// wrapup.json) never undo each other's fields.
var locks sync.Map // path -> *sync.Mutex

// ReadJSON reads a file holding one JSON object as its top-level fields.
// A missing or empty file is an empty object.
func ReadJSON(path string) (map[string]json.RawMessage, error) {
	doc := map[string]json.RawMessage{}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return doc, nil
	}
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return doc, nil
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: not a JSON object: %w", path, err)
	}
	return doc, nil
}

// UpdateJSON reads the JSON object in path, lets update change its
// top-level fields (or return ErrUnchanged), and writes it back atomically
// with mode perm: fields
// update leaves alone stay as they were, whoever wrote them. Keys come out
// sorted, so the file is stable across rewrites.
func UpdateJSON(path string, perm os.FileMode, update func(doc map[string]json.RawMessage) error) error {
	mu, _ := locks.LoadOrStore(path, new(sync.Mutex))
	mu.(*sync.Mutex).Lock()
	defer mu.(*sync.Mutex).Unlock()
	doc, err := ReadJSON(path)
	if err != nil {
		return err
	}
	if err := update(doc); errors.Is(err, ErrUnchanged) {
		return nil
	} else if err != nil {
		return err
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return fmt.Errorf("%s: encode: %w", path, err)
	}
	return Write(path, append(out, '\n'), perm)
}
