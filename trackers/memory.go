package trackers

import (
	"context"
	"fmt"
	"sync"

	"github.com/wrapup/wrapup/timeline"
)

// Memory is an in-memory Service: the reference tracker of the contract
// suite and a stand-in for tests of the Filer and the pipeline. Like a real
// tracker, File is not idempotent: filing one key twice makes two tickets.
type Memory struct {
	// BeforeFile, if set, runs before a ticket is created; an error fails
	// the call with nothing created (a tracker that is down).
	BeforeFile func(n int, it timeline.ActionItem) error
	// AfterFile, if set, runs after a ticket is created; an error fails the
	// call although the ticket exists (a POST that timed out).
	AfterFile func(n int, it timeline.ActionItem) error

	mu      sync.Mutex
	tickets []MemoryTicket
	files   int
	lookups int
}

// MemoryTicket is one ticket held by a Memory tracker.
type MemoryTicket struct {
	Item   timeline.ActionItem
	Ticket timeline.Ticket
}

var _ Service = (*Memory)(nil)

// File implements Tracker.
func (m *Memory) File(ctx context.Context, it timeline.ActionItem) (timeline.Ticket, error) {
	if err := ctx.Err(); err != nil {
		return timeline.Ticket{}, err
	}
	m.mu.Lock()
	m.files++
	n := m.files
	m.mu.Unlock()
	if m.BeforeFile != nil {
		if err := m.BeforeFile(n, it); err != nil {
			return timeline.Ticket{}, err
		}
	}
	m.mu.Lock()
	id := fmt.Sprintf("MEM-%d", len(m.tickets)+1)
	t := timeline.Ticket{Tracker: "memory", ID: id, URL: "memory:///" + id}
	m.tickets = append(m.tickets, MemoryTicket{Item: it, Ticket: t})
	m.mu.Unlock()
	if m.AfterFile != nil {
		if err := m.AfterFile(n, it); err != nil {
			return timeline.Ticket{}, err
		}
	}
	return t, nil
}

// Lookup implements Finder; the first ticket filed for a key wins.
func (m *Memory) Lookup(ctx context.Context, keys []string) (map[string]timeline.Ticket, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.lookups++
	want := make(map[string]bool, len(keys))
	for _, k := range keys {
		want[k] = true
	}
	got := map[string]timeline.Ticket{}
	for _, t := range m.tickets {
		if _, dup := got[t.Item.Key]; want[t.Item.Key] && !dup {
			got[t.Item.Key] = t.Ticket
		}
	}
	return got, nil
}

// Tickets returns every ticket created, duplicates included.
func (m *Memory) Tickets() []MemoryTicket {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]MemoryTicket(nil), m.tickets...)
}

// Calls returns how many File and Lookup calls were made.
func (m *Memory) Calls() (files, lookups int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.files, m.lookups
}
