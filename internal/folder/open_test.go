package folder

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOpen: a rerun finds its folder by the channel ID in its record,
// whether it was promoted (named by date) or still staged; another
// channel's folder of the same name is not it, and promoting onto it is
// refused.
func TestOpen(t *testing.T) {
	out := t.TempDir()
	dir, rec, err := Open(out, "C1", "incident-x")
	if err != nil || dir != filepath.Join(out, StagingName("C1")) || rec.Channel.ID != "" {
		t.Fatalf("a first run: %s %+v %v", dir, rec, err)
	}
	rec.Channel = RecordChannel{ID: "C1", Name: "incident-x"}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := rec.Save(filepath.Join(dir, RecordName)); err != nil {
		t.Fatal(err)
	}
	if again, _, err := Open(out, "C1", "incident-x"); err != nil || again != dir {
		t.Errorf("the staged folder not found again: %s %v", again, err)
	}
	final := filepath.Join(out, "2026-03-26-incident-x")
	if err := Promote(dir, final, "C1"); err != nil {
		t.Fatal(err)
	}
	if again, rec, err := Open(out, "C1", "incident-x"); err != nil || again != final || rec.Channel.ID != "C1" {
		t.Errorf("the promoted folder not found again: %s %+v %v", again, rec, err)
	}
	// Another channel of the same name (an export's, or a renamed one).
	if other, _, _ := Open(out, "C2", "incident-x"); other == final {
		t.Error("another channel's folder was taken for this one's")
	}
	staged := filepath.Join(out, StagingName("C2"))
	if err := os.MkdirAll(staged, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := Promote(staged, final, "C2"); err == nil || !strings.Contains(err.Error(), "belongs to another run") {
		t.Errorf("promoting onto another run's folder: %v", err)
	}
}
