package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"sync"

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/slackapi"
	"github.com/wrapup/wrapup/timeline"
	"github.com/wrapup/wrapup/trackers"
)

func payloadMetadata(p Payload) archive.Metadata {
	b, _ := json.Marshal(p) // strings and a map of strings: cannot fail
	return archive.Metadata{EventType: timeline.LedgerEventType, EventPayload: b}
}

// Payload is the wrap-up message's metadata: the Slack ledger.
type Payload struct {
	Tickets map[string]timeline.Ticket `json:"tickets"`
	State   string                     `json:"state"` // filing | done
	Tool    string                     `json:"tool,omitempty"`
}

// slackLedger keeps the tickets in the wrap-up message's metadata, so that a
// rerun whose output folder is gone still knows what was filed. Each Record
// edits the one message in place.
type slackLedger struct {
	slack   *slackapi.Client
	channel string
	ts      archive.TS
	summary func(tickets []timeline.Ticket) string

	mu      sync.Mutex
	payload Payload
}

var _ trackers.Ledger = (*slackLedger)(nil)

func newSlackLedger(c *slackapi.Client, channel string, m *archive.Message, tool string, summary func([]timeline.Ticket) string) (*slackLedger, error) {
	l := &slackLedger{slack: c, channel: channel, ts: m.TS, summary: summary,
		payload: Payload{Tickets: map[string]timeline.Ticket{}, State: "filing", Tool: tool}}
	if m.Metadata != nil && len(m.Metadata.EventPayload) > 0 {
		var p Payload
		if err := json.Unmarshal(m.Metadata.EventPayload, &p); err != nil {
			return nil, fmt.Errorf("the wrap-up message %s has unreadable metadata: %w", m.TS, err)
		}
		maps.Copy(l.payload.Tickets, p.Tickets)
		if p.State != "" {
			l.payload.State = p.State
		}
	}
	return l, nil
}

// Load implements trackers.Ledger.
func (l *slackLedger) Load(context.Context) (map[string]timeline.Ticket, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return maps.Clone(l.payload.Tickets), nil
}

// Record implements trackers.Ledger: it edits the message in place.
func (l *slackLedger) Record(ctx context.Context, key string, t timeline.Ticket) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if old, ok := l.payload.Tickets[key]; ok && old == t {
		return nil
	}
	l.payload.Tickets[key] = t
	return l.updateLocked(ctx)
}

// finish marks the ledger done and edits the message to its final text.
func (l *slackLedger) finish(ctx context.Context, text string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.payload.State = "done"
	return l.slack.Update(ctx, l.channel, l.ts, text, l.metadataLocked())
}

func (l *slackLedger) updateLocked(ctx context.Context) error {
	tickets := make([]timeline.Ticket, 0, len(l.payload.Tickets))
	for _, t := range l.payload.Tickets {
		tickets = append(tickets, t)
	}
	return l.slack.Update(ctx, l.channel, l.ts, l.summary(tickets), l.metadataLocked())
}

func (l *slackLedger) metadataLocked() archive.Metadata { return payloadMetadata(l.payload) }
