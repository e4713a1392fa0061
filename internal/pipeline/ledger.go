package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/timeline"
	"github.com/wrapup/wrapup/trackers"
)

// Payload is the wrap-up message's metadata: the Slack ledger, and the
// claim of the run working on the channel. Slack takes flat payloads only
// (strings, numbers, booleans, and flat arrays of them), so the tickets are
// parallel arrays, sorted by key.
type Payload struct {
	State string `json:"state"` // filing | done
	Tool  string `json:"tool,omitempty"`

	// The claim (DESIGN "One run at a time"): the run working on the
	// channel, where it runs, and when it last said so. Run is "" once
	// the run has ended.
	Run       string `json:"run,omitempty"`
	Host      string `json:"host,omitempty"`
	Heartbeat int64  `json:"heartbeat,omitempty"` // Unix seconds

	Keys     []string `json:"ticket_keys"`
	Trackers []string `json:"ticket_trackers"`
	IDs      []string `json:"ticket_ids"`
	URLs     []string `json:"ticket_urls"`

	// The intents to create (trackers.IntentLedger): the item keys whose
	// create request went out with no ticket recorded since, and when
	// (Unix seconds, rounded up), as parallel arrays sorted by key.
	IntentKeys []string `json:"intent_keys,omitempty"`
	IntentAt   []int64  `json:"intent_at,omitempty"`

	// The owner notes (folder.Record's Unassigned): why an item was filed
	// without its assignee, by item key, as parallel arrays sorted by
	// key, so that a rerun without the output folder writes the same
	// documents as the run that filed it.
	OwnerKeys  []string `json:"owner_note_keys,omitempty"`
	OwnerNotes []string `json:"owner_notes,omitempty"`

	// Legacy is the nested form earlier versions wrote; read, never written.
	Legacy map[string]timeline.Ticket `json:"tickets,omitempty"`
}

// setTickets lays tickets out as the payload's parallel arrays.
func (p *Payload) setTickets(tickets map[string]timeline.Ticket) {
	keys := append([]string{}, slices.Sorted(maps.Keys(tickets))...) // [] rather than null
	p.Keys, p.Trackers, p.IDs, p.URLs = keys, make([]string, len(keys)), make([]string, len(keys)), make([]string, len(keys))
	for i, k := range keys {
		t := tickets[k]
		p.Trackers[i], p.IDs[i], p.URLs[i] = t.Tracker, t.ID, t.URL
	}
	p.Legacy = nil
}

// setIntents lays intents out as the payload's parallel arrays.
func (p *Payload) setIntents(intents map[string]time.Time) {
	p.IntentKeys, p.IntentAt = nil, nil
	for _, k := range slices.Sorted(maps.Keys(intents)) {
		at := intents[k]
		secs := at.Unix()
		if at.After(time.Unix(secs, 0)) {
			secs++ // rounded up: a wait measured from it is never short
		}
		p.IntentKeys, p.IntentAt = append(p.IntentKeys, k), append(p.IntentAt, secs)
	}
}

// ownerNotes reads the owner note arrays back; a payload whose arrays
// differ in length has none that can be trusted.
func (p *Payload) ownerNotes() map[string]string {
	out := map[string]string{}
	if len(p.OwnerKeys) == len(p.OwnerNotes) {
		for i, k := range p.OwnerKeys {
			out[k] = p.OwnerNotes[i]
		}
	}
	return out
}

// setOwnerNote records why key's item was filed unassigned.
func (p *Payload) setOwnerNote(key, note string) {
	notes := p.ownerNotes()
	notes[key] = note
	p.OwnerKeys, p.OwnerNotes = nil, nil
	for _, k := range slices.Sorted(maps.Keys(notes)) {
		p.OwnerKeys, p.OwnerNotes = append(p.OwnerKeys, k), append(p.OwnerNotes, notes[k])
	}
}

// intents reads the intent arrays back.
func (p *Payload) intents() (map[string]time.Time, error) {
	if len(p.IntentKeys) != len(p.IntentAt) {
		return nil, fmt.Errorf("its intent arrays differ in length (%d keys, %d times)", len(p.IntentKeys), len(p.IntentAt))
	}
	out := map[string]time.Time{}
	for i, k := range p.IntentKeys {
		out[k] = time.Unix(p.IntentAt[i], 0).UTC()
	}
	return out, nil
}

// tickets reads the parallel arrays back (and the legacy nested form).
func (p *Payload) tickets() (map[string]timeline.Ticket, error) {
	n := len(p.Keys)
	if len(p.Trackers) != n || len(p.IDs) != n || len(p.URLs) != n {
		return nil, fmt.Errorf("its ticket arrays differ in length (%d keys, %d trackers, %d ids, %d urls)",
			n, len(p.Trackers), len(p.IDs), len(p.URLs))
	}
	out := maps.Clone(p.Legacy)
	if out == nil {
		out = map[string]timeline.Ticket{}
	}
	for i, k := range p.Keys {
		out[k] = timeline.Ticket{Tracker: p.Trackers[i], ID: p.IDs[i], URL: p.URLs[i]}
	}
	return out, nil
}

func payloadMetadata(p Payload) archive.Metadata {
	b, _ := json.Marshal(p) // strings, numbers and string slices: cannot fail
	return archive.Metadata{EventType: timeline.LedgerEventType, EventPayload: b}
}

// readPayload decodes a wrap-up message's metadata.
func readPayload(m *archive.Message) (Payload, map[string]timeline.Ticket, error) {
	var p Payload
	if m.Metadata != nil && len(m.Metadata.EventPayload) > 0 {
		if err := json.Unmarshal(m.Metadata.EventPayload, &p); err != nil {
			return p, nil, fmt.Errorf("the wrap-up message %s has unreadable metadata: %w", m.TS, err)
		}
	}
	tickets, err := p.tickets()
	if err != nil {
		return p, nil, fmt.Errorf("the wrap-up message %s has unreadable metadata: %w", m.TS, err)
	}
	return p, tickets, nil
}

// slackLedger keeps the tickets in the wrap-up message's metadata, so that a
// rerun whose output folder is gone still knows what was filed. Each Record
// edits the one message in place, and refreshes the run's claim.
type slackLedger struct {
	slack   slackWrites // the client, or a dry run's plan
	channel string
	ts      archive.TS
	summary func(tickets []timeline.Ticket) string
	now     func() time.Time

	// verify, when set, reads the claim back and fails if another run
	// holds it; it runs before a write when the last one is older than
	// half the claim's ttl, as only a claim that old can have been taken.
	verify func(context.Context) error
	ttl    time.Duration

	mu      sync.Mutex
	payload Payload
	tickets map[string]timeline.Ticket
	text    string    // the message's text as last written
	last    time.Time // when this run last wrote its claim
	intents map[string]time.Time
}

var _ trackers.IntentLedger = (*slackLedger)(nil)

func newSlackLedger(c slackWrites, channel string, m *archive.Message, cl claim, tool string, summary func([]timeline.Ticket) string) (*slackLedger, error) {
	p, tickets, err := readPayload(m)
	if err != nil {
		return nil, err
	}
	if p.State == "" {
		p.State = "filing"
	}
	intents, err := p.intents()
	if err != nil {
		return nil, fmt.Errorf("the wrap-up message %s has unreadable metadata: %w", m.TS, err)
	}
	p.Tool, p.Run, p.Host = tool, cl.run, cl.host
	return &slackLedger{slack: c, channel: channel, ts: m.TS, summary: summary, now: cl.now, ttl: cl.ttl,
		payload: p, tickets: tickets, intents: intents, text: m.Text, last: cl.now()}, nil
}

// Load implements trackers.Ledger.
func (l *slackLedger) Load(context.Context) (map[string]timeline.Ticket, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return maps.Clone(l.tickets), nil
}

// Record implements trackers.Ledger: it edits the message in place.
func (l *slackLedger) Record(ctx context.Context, key string, t timeline.Ticket) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if old, ok := l.tickets[key]; ok && old == t {
		return nil
	}
	l.tickets[key] = t
	delete(l.intents, key)
	return l.updateLocked(ctx, l.summary(l.ticketsLocked()))
}

// ownerNotes are the owner notes the message holds, by item key.
func (l *slackLedger) ownerNotes() map[string]string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.payload.ownerNotes()
}

// setOwnerNote keeps why key's item was filed unassigned; the message
// carries it from its next edit on.
func (l *slackLedger) setOwnerNote(key, note string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.payload.setOwnerNote(key, note)
}

// Intents implements trackers.IntentLedger.
func (l *slackLedger) Intents(context.Context) (map[string]time.Time, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return maps.Clone(l.intents), nil
}

// SetIntent implements trackers.IntentLedger: it edits the message in
// place, before the create request goes out.
func (l *slackLedger) SetIntent(ctx context.Context, key string, at time.Time) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.intents[key]; !ok && at.IsZero() {
		return nil
	}
	if at.IsZero() {
		delete(l.intents, key)
	} else {
		l.intents[key] = at
	}
	return l.updateLocked(ctx, l.summary(l.ticketsLocked()))
}

// heartbeat refreshes the claim, text unchanged. It runs beside the run's
// steps, so it reuses the last text rather than render the summary anew.
func (l *slackLedger) heartbeat(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.updateLocked(ctx, l.text)
}

// finish marks the ledger done and edits the message to its final text.
// The claim stays: archiving comes next, and once the channel is archived
// the message can no longer be edited, nor the channel read by any run.
func (l *slackLedger) finish(ctx context.Context, text string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.payload.State = "done"
	return l.updateLocked(ctx, text)
}

// release gives up the claim, so that the next run need not wait it out.
func (l *slackLedger) release(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.payload.Run == "" {
		return nil
	}
	l.payload.Run = ""
	return l.updateLocked(ctx, l.summary(l.ticketsLocked()))
}

func (l *slackLedger) ticketsLocked() []timeline.Ticket {
	out := make([]timeline.Ticket, 0, len(l.tickets))
	for _, k := range slices.Sorted(maps.Keys(l.tickets)) {
		out = append(out, l.tickets[k])
	}
	return out
}

// check fails if this run's claim may have lapsed and another run now
// holds it: before filing and before archiving, which no two runs may do.
func (l *slackLedger) check(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.checkLocked(ctx)
}

func (l *slackLedger) checkLocked(ctx context.Context) error {
	if l.verify != nil && l.payload.Run != "" && l.now().Sub(l.last) > l.ttl/2 {
		return l.verify(ctx)
	}
	return nil
}

func (l *slackLedger) updateLocked(ctx context.Context, text string) error {
	if err := l.checkLocked(ctx); err != nil {
		return err
	}
	l.payload.setTickets(l.tickets)
	l.payload.setIntents(l.intents)
	if l.payload.Run != "" {
		l.payload.Heartbeat = l.now().Unix()
	}
	if err := l.slack.Update(ctx, l.channel, l.ts, text, payloadMetadata(l.payload)); err != nil {
		return err
	}
	l.text, l.last = text, l.now()
	return nil
}
