package folder

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/wrapup/wrapup/internal/atomicfile"
	"github.com/wrapup/wrapup/trackers"
)

// TicketStatesField is the wrapup.json field holding the tickets' states.
const TicketStatesField = "ticket_states"

// States returns the recorded states by item key (empty when none).
func (l *Ledger) States(ctx context.Context) (map[string]trackers.TicketState, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	doc, err := atomicfile.ReadJSON(l.Path)
	if err != nil {
		return nil, fmt.Errorf("read ledger: %w", err)
	}
	return l.decodeStates(doc)
}

// SetStates merges states (by item key) into wrapup.json atomically, keeping every other field.
// A key not in states keeps the state it had: a ticket the tracker no
// longer knows keeps its last known state. Times are stored in UTC.
func (l *Ledger) SetStates(ctx context.Context, states map[string]trackers.TicketState) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(states) == 0 {
		return nil
	}
	return atomicfile.UpdateJSON(l.Path, 0o600, func(doc map[string]json.RawMessage) error {
		have, err := l.decodeStates(doc)
		if err != nil {
			return err
		}
		for key, st := range states {
			// UTC, like every other time in wrapup.json.
			st.CheckedAt = st.CheckedAt.UTC()
			if st.ResolvedAt != nil {
				at := st.ResolvedAt.UTC()
				st.ResolvedAt = &at
			}
			have[key] = st
		}
		raw, err := json.Marshal(have)
		if err != nil {
			return fmt.Errorf("%s: encode %s: %w", l.Path, TicketStatesField, err)
		}
		doc[TicketStatesField] = raw
		return nil
	})
}

func (l *Ledger) decodeStates(doc map[string]json.RawMessage) (map[string]trackers.TicketState, error) {
	states := map[string]trackers.TicketState{}
	raw, ok := doc[TicketStatesField]
	if !ok || bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return states, nil
	}
	if err := json.Unmarshal(raw, &states); err != nil {
		return nil, fmt.Errorf("%s: field %q: %w", l.Path, TicketStatesField, err)
	}
	return states, nil
}
