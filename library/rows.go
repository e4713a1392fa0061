package library

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/wrapup/wrapup/timeline"
)

// RowsFile is the library's machine-readable rows, kept beside index.md
// in a docs repository (publish.github): with no output folder to read
// (a CI runner starts empty), the index is rebuilt from them.
const RowsFile = "index.json"

// RowsSchema is the schema of [Rows].
const RowsSchema = "wrapup.index/1"

// Rows is index.json.
type Rows struct {
	Schema    string `json:"schema"`
	Incidents []Row  `json:"incidents"`
}

// Row is one incident as index.json keeps it: the fields `wrapup index
// --json` prints for it, and what the trends and tables need besides.
// The figures that depend on when the index is built (open items' ages,
// overdue) are computed by [FromRows].
type Row struct {
	// JSONIncident is what --json prints of it. Its ActionItems are the
	// counts as of the row's writing, for readers of the file; FromRows
	// counts again from Items.
	JSONIncident

	Channel     string     `json:"channel"`
	Status      string     `json:"status"`
	Commander   string     `json:"commander"`
	ResolvedAt  *time.Time `json:"resolved_at"`
	Duration    *int64     `json:"duration_s"`
	LateUpdates *int64     `json:"late_updates"`
	Messages    int64      `json:"messages"`
	Items       []RowItem  `json:"items"`
	// Markdown and HTML are the postmortem's paths relative to the
	// index, "" where it has none.
	Markdown string `json:"markdown,omitempty"`
	HTML     string `json:"html,omitempty"`
}

// RowItem is one action item of a [Row].
type RowItem struct {
	Key        string           `json:"key"`
	Summary    string           `json:"summary"`
	Assignee   string           `json:"assignee,omitempty"`
	Ticket     *timeline.Ticket `json:"ticket,omitempty"`
	State      string           `json:"state,omitempty"`
	ResolvedAt *time.Time       `json:"resolved_at,omitempty"`
	CheckedAt  *time.Time       `json:"checked_at,omitempty"`
}

// Rows returns the index's rows, newest first.
func (idx *Index) Rows() []Row {
	out := make([]Row, 0, len(idx.Incidents))
	for _, in := range idx.Incidents {
		r := Row{JSONIncident: in.json(), Channel: in.Channel, Status: in.Status, Commander: in.Commander,
			ResolvedAt: in.ResolvedAt, Duration: in.Duration, LateUpdates: in.LateUpdates, Messages: in.Messages,
			Items: []RowItem{}, Markdown: in.Markdown, HTML: in.HTML}
		for _, it := range in.Items {
			r.Items = append(r.Items, RowItem{Key: it.Key, Summary: it.Summary, Assignee: it.Assignee, Ticket: it.Ticket,
				State: it.State, ResolvedAt: it.ResolvedAt, CheckedAt: it.CheckedAt})
		}
		out = append(out, r)
	}
	return out
}

// EncodeRows is index.json's bytes.
func EncodeRows(rows []Row) ([]byte, error) {
	if rows == nil {
		rows = []Row{}
	}
	b, err := json.MarshalIndent(Rows{Schema: RowsSchema, Incidents: rows}, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// DecodeRows reads index.json; name is where it came from, for errors.
// Empty input is no rows. A row whose folder is not one path element, or
// whose document paths leave its folder, is an error naming it.
func DecodeRows(b []byte, name string) ([]Row, error) {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, nil
	}
	var rs Rows
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&rs); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if rs.Schema != RowsSchema {
		return nil, fmt.Errorf("%s: schema %q, want %q (written by another version of wrapup)", name, rs.Schema, RowsSchema)
	}
	for i, r := range rs.Incidents {
		if r.Folder == "" || r.Folder == "." || r.Folder == ".." || strings.ContainsAny(r.Folder, "/\\") {
			return nil, fmt.Errorf("%s: incidents[%d]: folder %q is not a folder name", name, i, r.Folder)
		}
		for _, p := range []string{r.Markdown, r.HTML} {
			if p != "" && (path.Clean(p) != p || path.Dir(p) != r.Folder) {
				return nil, fmt.Errorf("%s: incidents[%d]: %q is not a file of folder %s", name, i, p, r.Folder)
			}
		}
	}
	return rs.Incidents, nil
}

// MergeRow returns rows with r in place of the row of the same folder,
// or added.
func MergeRow(rows []Row, r Row) []Row {
	out := make([]Row, 0, len(rows)+1)
	for _, x := range rows {
		if x.Folder != r.Folder {
			out = append(out, x)
		}
	}
	return append(out, r)
}

// ReadRow reads one incident folder, dir, as a row; a folder that is not
// an incident's is an error saying why.
func ReadRow(ctx context.Context, dir string) (Row, error) {
	fd, why := readFolder(ctx, dir)
	if why != "" {
		return Row{}, fmt.Errorf("index: %s: %s", dir, why)
	}
	fd.name = filepath.Base(dir)
	return rowOf(fd), nil
}
