package folder

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/wrapup/wrapup/internal/atomicfile"
	"github.com/wrapup/wrapup/timeline"
	"github.com/wrapup/wrapup/trackers"
)

// TicketsField is the top-level field of wrapup.json that holds the
// tickets, as {key: {tracker, id, url}}.
const TicketsField = "tickets"

// IntentsField is the top-level field of wrapup.json that holds the
// intents to create (see [trackers.IntentLedger]), as {key: RFC 3339 time}.
const IntentsField = "intents"

// Ledger is the output folder's ledger: the "tickets" object of
// wrapup.json, and beside it what the tracker last said of each ticket
// ("ticket_states", see [Ledger.States]). The file is a JSON object that the pipeline extends with
// its own fields; Ledger keeps every other top-level field as it finds
// it, re-reading the file before each write so that it never undoes what
// another writer of the same process wrote in between.
//
// Writes are atomic (a temp file in the same folder, fsync, rename) and
// the file's mode is 0600: incident records are sensitive.
type Ledger struct {
	// Path is the wrapup.json file. Its folder must exist.
	Path string
}

var _ trackers.IntentLedger = (*Ledger)(nil)

// Load implements trackers.Ledger. A missing file is an empty ledger.
func (l *Ledger) Load(context.Context) (map[string]timeline.Ticket, error) {
	doc, err := atomicfile.ReadJSON(l.Path)
	if err != nil {
		return nil, fmt.Errorf("read ledger: %w", err)
	}
	tickets, _, err := l.decode(doc)
	return tickets, err
}

// Record implements trackers.Ledger; it withdraws the key's intent.
func (l *Ledger) Record(_ context.Context, key string, t timeline.Ticket) error {
	return l.update(func(tickets map[string]timeline.Ticket, intents map[string]time.Time) bool {
		tickets[key] = t
		delete(intents, key)
		return true
	})
}

// Intents implements trackers.IntentLedger. A missing file has none.
func (l *Ledger) Intents(context.Context) (map[string]time.Time, error) {
	doc, err := atomicfile.ReadJSON(l.Path)
	if err != nil {
		return nil, fmt.Errorf("read ledger: %w", err)
	}
	_, intents, err := l.decode(doc)
	return intents, err
}

// SetIntent implements trackers.IntentLedger.
func (l *Ledger) SetIntent(_ context.Context, key string, at time.Time) error {
	return l.update(func(_ map[string]timeline.Ticket, intents map[string]time.Time) bool {
		if _, ok := intents[key]; at.IsZero() && !ok {
			return false
		}
		if at.IsZero() {
			delete(intents, key)
		} else {
			intents[key] = at.UTC()
		}
		return true
	})
}

// update changes the tickets and intents of wrapup.json, every other
// field kept; no intents leaves their field out.
func (l *Ledger) update(change func(map[string]timeline.Ticket, map[string]time.Time) (changed bool)) error {
	return atomicfile.UpdateJSON(l.Path, 0o600, func(doc map[string]json.RawMessage) error {
		tickets, intents, err := l.decode(doc)
		if err != nil {
			return err
		}
		if !change(tickets, intents) {
			return atomicfile.ErrUnchanged
		}
		if doc[TicketsField], err = json.Marshal(tickets); err != nil {
			return fmt.Errorf("%s: encode tickets: %w", l.Path, err)
		}
		delete(doc, IntentsField)
		if len(intents) > 0 {
			if doc[IntentsField], err = json.Marshal(intents); err != nil {
				return fmt.Errorf("%s: encode intents: %w", l.Path, err)
			}
		}
		return nil
	})
}

// decode reads the tickets and intents out of wrapup.json's fields.
func (l *Ledger) decode(doc map[string]json.RawMessage) (map[string]timeline.Ticket, map[string]time.Time, error) {
	tickets, intents := map[string]timeline.Ticket{}, map[string]time.Time{}
	for field, into := range map[string]any{TicketsField: &tickets, IntentsField: &intents} {
		if raw, ok := doc[field]; ok && !bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
			if err := json.Unmarshal(raw, into); err != nil {
				return nil, nil, fmt.Errorf("%s: field %q: %w", l.Path, field, err)
			}
		}
	}
	return tickets, intents, nil
}
