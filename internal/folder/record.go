package folder

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"time"

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/internal/atomicfile"
)

// RecordName is the run record's file name in the incident folder.
const RecordName = "wrapup.json"

// RecordSchema identifies the run record's format.
const RecordSchema = "wrapup.run/v1"

// Record is wrapup.json: what a run did, written after every step so that a
// rerun picks up where the last one stopped. The tickets live in the same
// file under "tickets" (and "intents"), written by Ledger
// through the same atomicfile.UpdateJSON; fields neither knows
// are kept.
type Record struct {
	Schema     string               `json:"schema"`
	Tool       string               `json:"tool"`
	Channel    RecordChannel        `json:"channel"`
	Steps      map[string]time.Time `json:"steps"` // step -> when it finished
	Counts     archive.Counts       `json:"counts"`
	LedgerTS   archive.TS           `json:"ledger_ts,omitempty"` // the wrap-up message
	Postmortem string               `json:"postmortem,omitempty"`
	Archived   bool                 `json:"archived"`
	// ArchiveAsked is when this run asked Slack to archive the channel,
	// written just before: a rerun that finds the channel archived and
	// this set knows that wrapup archived it.
	ArchiveAsked *time.Time `json:"archive_asked_at,omitempty"`
	// ArchiveGap is the window the archive cannot cover: a message posted
	// between the last read of the channel's history and the archiving
	// is not in it. Slack offers no way to close it.
	ArchiveGap *Gap `json:"archive_gap,omitempty"`
	Complete   bool `json:"complete"`
	// Unassigned are the items filed without their assignee, by key, with
	// why in a few words ("not assignable in OPS"): the postmortem's owner
	// column says it on every rerun, not only in the run that filed them.
	Unassigned map[string]string `json:"unassigned,omitempty"`
	// Published is the postmortem's pull request (publish.github), as
	// the last run left it.
	Published *Published `json:"published,omitempty"`
}

// Published is what the publish step did: the pull request, its branch
// and the commit wrapup left there, and the document's URL once merged.
type Published struct {
	State  string `json:"state"` // opened, updated, unchanged, merged, closed, diverged
	Number int    `json:"number,omitempty"`
	URL    string `json:"url,omitempty"`
	Branch string `json:"branch"`
	Commit string `json:"commit,omitempty"`
	DocURL string `json:"doc_url"`
}

// SetUnassigned says why the item key was filed unassigned.
func (r *Record) SetUnassigned(key, why string) {
	if r.Unassigned == nil {
		r.Unassigned = map[string]string{}
	}
	r.Unassigned[key] = why
}

// Gap is a stretch of time a record does not cover, and why.
type Gap struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	Why  string    `json:"why"`
}

// ArchiveGapWhy says, in the record, what the archive gap is.
const ArchiveGapWhy = "messages posted between the last history read and the archiving are not in the archive; edits to thread replies made after the export are not either (Slack's history does not show them)"

// RecordChannel names the channel.
type RecordChannel struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Done reports whether step has finished in an earlier or this run.
func (r *Record) Done(step string) bool {
	_, ok := r.Steps[step]
	return ok
}

// LoadRecord reads wrapup.json; a missing file gives an empty record.
func LoadRecord(path string) (*Record, error) {
	r := &Record{Schema: RecordSchema, Steps: map[string]time.Time{}}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return r, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, r); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if r.Steps == nil {
		r.Steps = map[string]time.Time{}
	}
	return r, nil
}

// Save writes the record atomically, keeping the fields of wrapup.json it
// does not own (the tickets above all) as they are on disk.
func (r *Record) Save(path string) error {
	own, err := json.Marshal(r)
	if err != nil {
		return err
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(own, &fields); err != nil {
		return err
	}
	return atomicfile.UpdateJSON(path, 0o600, func(doc map[string]json.RawMessage) error {
		maps.Copy(doc, fields)
		return nil
	})
}
