package trackers

import (
	"context"
	"maps"
	"sync"
	"time"

	"github.com/wrapup/wrapup/timeline"
)

// Ledger is a record of tickets filed, kept outside the tracker: the Slack
// wrap-up message's metadata, or the output folder's wrapup.json.
type Ledger interface {
	// Load returns every ticket recorded, by item key. An empty ledger
	// (say, a missing file) is not an error.
	Load(ctx context.Context) (map[string]timeline.Ticket, error)
	// Record adds or replaces one key's ticket.
	Record(ctx context.Context, key string, t timeline.Ticket) error
}

// MemoryLedger is a Ledger held in memory, for tests and for standing in
// for the Slack ledger. The zero value is ready to use.
type MemoryLedger struct {
	mu      sync.Mutex
	tickets map[string]timeline.Ticket
	intents map[string]time.Time
	records int
}

var _ IntentLedger = (*MemoryLedger)(nil)

// Load implements Ledger.
func (l *MemoryLedger) Load(context.Context) (map[string]timeline.Ticket, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return maps.Clone(l.tickets), nil
}

// Record implements Ledger.
func (l *MemoryLedger) Record(_ context.Context, key string, t timeline.Ticket) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.tickets == nil {
		l.tickets = map[string]timeline.Ticket{}
	}
	l.tickets[key] = t
	delete(l.intents, key)
	l.records++
	return nil
}

// Intents implements IntentLedger.
func (l *MemoryLedger) Intents(context.Context) (map[string]time.Time, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return maps.Clone(l.intents), nil
}

// SetIntent implements IntentLedger.
func (l *MemoryLedger) SetIntent(_ context.Context, key string, at time.Time) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.intents == nil {
		l.intents = map[string]time.Time{}
	}
	if at.IsZero() {
		delete(l.intents, key)
	} else {
		l.intents[key] = at
	}
	return nil
}

// Records returns how many times Record was called, so tests can tell a
// ledger that was written from one that was only read.
func (l *MemoryLedger) Records() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.records
}

// ReadOnly wraps a Ledger so that Record and SetIntent do nothing: what a
// dry run needs, since it must not write the output folder or the channel.
// Its intents are still read.
func ReadOnly(l Ledger) Ledger { return readOnly{l} }

type readOnly struct{ Ledger }

func (readOnly) Record(context.Context, string, timeline.Ticket) error { return nil }

func (r readOnly) Intents(ctx context.Context) (map[string]time.Time, error) {
	if il, ok := r.Ledger.(IntentLedger); ok {
		return il.Intents(ctx)
	}
	return nil, nil
}

func (readOnly) SetIntent(context.Context, string, time.Time) error { return nil }
