package atomicfile

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "wrapup.json")
	for _, data := range []string{"first", "second, longer"} {
		if err := Write(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(p)
		if err != nil || string(got) != data {
			t.Fatalf("read %q, %v; want %q", got, err, data)
		}
	}
	st, err := os.Stat(p)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, %v; want 0600", st.Mode(), err)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("temporary files left behind: %v", ents)
	}
	// A folder that is not there: an error naming the file, nothing written.
	if err := Write(filepath.Join(dir, "no", "x"), []byte("x"), 0o600); err == nil {
		t.Error("write into a missing folder succeeded")
	}
}

// TestUpdateJSON: writers of different fields of one file (the run record
// and the tickets ledger of wrapup.json), at once, lose nothing of each
// other's; a corrupt file is an error naming it; ErrUnchanged writes
// nothing.
func TestUpdateJSON(t *testing.T) {
	p := filepath.Join(t.TempDir(), "wrapup.json")
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 25 {
				err := UpdateJSON(p, 0o600, func(doc map[string]json.RawMessage) error {
					doc[fmt.Sprintf("w%d-%d", w, i)] = json.RawMessage("true")
					return nil
				})
				if err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	doc, err := ReadJSON(p)
	if err != nil || len(doc) != 100 {
		t.Fatalf("%d fields, %v; want all 100", len(doc), err)
	}
	st, _ := os.Stat(p)
	if err := UpdateJSON(p, 0o600, func(map[string]json.RawMessage) error { return ErrUnchanged }); err != nil {
		t.Error(err)
	}
	if st2, _ := os.Stat(p); !st2.ModTime().Equal(st.ModTime()) {
		t.Error("ErrUnchanged rewrote the file")
	}
	if err := os.WriteFile(p, []byte("[1]"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadJSON(p); err == nil || !strings.Contains(err.Error(), p) {
		t.Errorf("a file that is no JSON object: %v", err)
	}
}

// TestTemp: a streamed file is invisible until Commit, takes the name
// Commit gives (in its folder only), and Discard leaves nothing behind.
func TestTemp(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "transcript.html")
	tf, err := Create(p, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"<ol>", "<li>one</li>", "</ol>"} {
		if _, err := tf.Write([]byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(p); !os.IsNotExist(err) {
		t.Fatalf("the file is in place before Commit: %v", err)
	}
	alt := filepath.Join(dir, "transcript.new.html")
	if err := tf.Commit(alt); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(alt); err != nil || string(got) != "<ol><li>one</li></ol>" {
		t.Fatalf("read %q, %v", got, err)
	}
	if err := tf.Commit(alt); err == nil {
		t.Error("a second Commit succeeded")
	}
	tf.Discard() // after Commit: nothing
	if _, err := os.Stat(alt); err != nil {
		t.Fatalf("Discard after Commit removed the file: %v", err)
	}

	tf, err = Create(p, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if err := tf.Commit(filepath.Join(t.TempDir(), "elsewhere")); err == nil || !strings.Contains(err.Error(), "not in the folder") {
		t.Errorf("Commit into another folder: %v", err)
	}
	tf, err = Create(p, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	tf.Write([]byte("half"))
	tf.Discard()
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 || ents[0].Name() != "transcript.new.html" {
		t.Errorf("left in the folder: %v", ents)
	}
}
