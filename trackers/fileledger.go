package trackers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"
	"time"

	"github.com/wrapup/wrapup/internal/atomicfile"
	"github.com/wrapup/wrapup/timeline"
)

// TicketsField is the top-level field of wrapup.json that holds the
// tickets, as {key: {tracker, id, url}}.
const TicketsField = "tickets"

// IntentsField is the top-level field of wrapup.json that holds the
// intents to create (see [IntentLedger]), as {key: RFC 3339 time}.
const IntentsField = "intents"

// FileLedger is the output folder's ledger: the "tickets" object of
// wrapup.json. The file is a JSON object that the pipeline extends with
// its own fields; FileLedger keeps every other top-level field as it finds
// it, re-reading the file before each write so that it never undoes what
// another writer of the same process wrote in between.
//
// Writes are atomic (a temp file in the same folder, fsync, rename) and
// the file's mode is 0600: incident records are sensitive.
type FileLedger struct {
	// Path is the wrapup.json file. Its folder must exist.
	Path string

	mu sync.Mutex
}

var _ IntentLedger = (*FileLedger)(nil)

// Load implements Ledger. A missing file is an empty ledger.
func (l *FileLedger) Load(context.Context) (map[string]timeline.Ticket, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, tickets, err := l.read()
	return tickets, err
}

// Record implements Ledger; it withdraws the key's intent.
func (l *FileLedger) Record(_ context.Context, key string, t timeline.Ticket) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	doc, tickets, err := l.read()
	if err != nil {
		return err
	}
	intents, err := l.intents(doc)
	if err != nil {
		return err
	}
	tickets[key] = t
	delete(intents, key)
	return l.write(doc, tickets, intents)
}

// Intents implements IntentLedger. A missing file has none.
func (l *FileLedger) Intents(context.Context) (map[string]time.Time, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	doc, _, err := l.read()
	if err != nil {
		return nil, err
	}
	return l.intents(doc)
}

// SetIntent implements IntentLedger.
func (l *FileLedger) SetIntent(_ context.Context, key string, at time.Time) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	doc, tickets, err := l.read()
	if err != nil {
		return err
	}
	intents, err := l.intents(doc)
	if err != nil {
		return err
	}
	if at.IsZero() {
		if _, ok := intents[key]; !ok {
			return nil
		}
		delete(intents, key)
	} else {
		intents[key] = at.UTC()
	}
	return l.write(doc, tickets, intents)
}

// intents reads the document's intents.
func (l *FileLedger) intents(doc map[string]json.RawMessage) (map[string]time.Time, error) {
	intents := map[string]time.Time{}
	if raw, ok := doc[IntentsField]; ok && !bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		if err := json.Unmarshal(raw, &intents); err != nil {
			return nil, fmt.Errorf("%s: field %q: %w", l.Path, IntentsField, err)
		}
	}
	return intents, nil
}

// write puts tickets and intents into doc and writes it; no intents
// leaves the field out.
func (l *FileLedger) write(doc map[string]json.RawMessage, tickets map[string]timeline.Ticket, intents map[string]time.Time) error {
	raw, err := json.Marshal(tickets)
	if err != nil {
		return fmt.Errorf("%s: encode tickets: %w", l.Path, err)
	}
	doc[TicketsField] = raw
	delete(doc, IntentsField)
	if len(intents) > 0 {
		if doc[IntentsField], err = json.Marshal(intents); err != nil {
			return fmt.Errorf("%s: encode intents: %w", l.Path, err)
		}
	}
	// encoding/json sorts map keys, so the file is stable across rewrites.
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return fmt.Errorf("%s: encode: %w", l.Path, err)
	}
	return atomicfile.Write(l.Path, append(out, '\n'), 0o600)
}

// read returns the document's top-level fields and its tickets.
func (l *FileLedger) read() (map[string]json.RawMessage, map[string]timeline.Ticket, error) {
	doc := map[string]json.RawMessage{}
	tickets := map[string]timeline.Ticket{}
	data, err := os.ReadFile(l.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return doc, tickets, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read ledger: %w", err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return doc, tickets, nil
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, nil, fmt.Errorf("%s: not a JSON object: %w", l.Path, err)
	}
	if raw, ok := doc[TicketsField]; ok && !bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		if err := json.Unmarshal(raw, &tickets); err != nil {
			return nil, nil, fmt.Errorf("%s: field %q: %w", l.Path, TicketsField, err)
		}
	}
	return doc, tickets, nil
}
