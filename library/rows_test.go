package library_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/wrapup/wrapup/library"
)

// TestRowsRoundTrip: the rows of an index built from folders, written to
// index.json and read back, give the same index (figures, trends and the
// rendered Markdown) without the folders, as a docs repository rebuilds
// it; a row merged in for a folder replaces that folder's.
func TestRowsRoundTrip(t *testing.T) {
	specs := generate(40, 6, genStart, 7)
	dir := t.TempDir()
	write(t, dir, specs)
	opts := library.Options{Dir: dir, Now: genNow, OverdueAfter: 720 * time.Hour}
	idx, err := library.Build(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	b, err := library.EncodeRows(idx.Rows())
	if err != nil {
		t.Fatal(err)
	}
	rows, err := library.DecodeRows(b, "index.json")
	if err != nil {
		t.Fatal(err)
	}
	again := library.FromRows(rows, opts)
	if diff := cmp.Diff(idx.JSON(), again.JSON()); diff != "" {
		t.Errorf("index --json from rows (-folders +rows):\n%s", diff)
	}
	d1, err := library.Render(idx, "")
	if err != nil {
		t.Fatal(err)
	}
	d2, err := library.Render(again, "")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(d1.Markdown, d2.Markdown) {
		t.Errorf("index.md differs when built from rows:\n%s", cmp.Diff(string(d1.Markdown), string(d2.Markdown)))
	}
	one, err := library.ReadRow(context.Background(), filepath.Join(dir, rows[3].Folder))
	if err != nil {
		t.Fatal(err)
	}
	one.Title = "Renamed"
	merged := library.MergeRow(rows, one)
	if len(merged) != len(rows) {
		t.Fatalf("%d rows after merging a known folder, want %d", len(merged), len(rows))
	}
	if got := library.FromRows(merged, opts); !strings.Contains(string(mustRender(t, got)), "Renamed") {
		t.Errorf("the merged row is not in the index")
	}
}

func mustRender(t *testing.T, idx *library.Index) []byte {
	t.Helper()
	d, err := library.Render(idx, "")
	if err != nil {
		t.Fatal(err)
	}
	return d.Markdown
}

// TestDecodeRowsRefuses: index.json comes from a repository people edit:
// another schema, a folder that is a path, or a document outside its
// folder is an error naming the file and the row; empty is no rows.
func TestDecodeRowsRefuses(t *testing.T) {
	for _, c := range []struct{ in, says string }{
		{`{"schema":"wrapup.index/9","incidents":[]}`, `schema "wrapup.index/9"`},
		{`{"schema":"wrapup.index/1","incidents":[{"folder":"../x"}]}`, `incidents[0]: folder "../x"`},
		{`{"schema":"wrapup.index/1","incidents":[{"folder":"a"},{"folder":"b","markdown":"../etc/passwd"}]}`, `incidents[1]: "../etc/passwd" is not a file of folder b`},
		{`{"schema":`, "unexpected EOF"},
	} {
		_, err := library.DecodeRows([]byte(c.in), "docs/index.json")
		if err == nil || !strings.Contains(err.Error(), "docs/index.json") || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: %v, want an error saying %q", c.in, err, c.says)
		}
	}
	if rows, err := library.DecodeRows(nil, "x"); err != nil || rows != nil {
		t.Errorf("empty: %v %v", rows, err)
	}
}
