package folder

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"

	"github.com/wrapup/wrapup/internal/atomicfile"
	"github.com/wrapup/wrapup/trackers"
)

// TicketStatesField is the wrapup.json field holding the tickets' states.
const TicketStatesField = "ticket_states"

// States returns the recorded states by item key (empty when none).
func (l *Ledger) States(ctx context.Context) (map[string]trackers.TicketState, error) {
	doc, err := atomicfile.ReadJSON(l.Path)
	if err != nil {
		return nil, fmt.Errorf("read ledger: %w", err)
	}
	return l.decodeStates(doc)
}

// SetStates merges states (by item key) into wrapup.json atomically, keeping every other field.
func (l *Ledger) SetStates(ctx context.Context, states map[string]trackers.TicketState) error {
	return atomicfile.UpdateJSON(l.Path, 0o600, func(doc map[string]json.RawMessage) error {
		cur, err := l.decodeStates(doc)
		if err != nil {
			return err
		}
		maps.Copy(cur, states)
		if doc[TicketStatesField], err = json.Marshal(cur); err != nil {
			return fmt.Errorf("%s: encode ticket states: %w", l.Path, err)
		}
		return nil
	})
}

func (l *Ledger) decodeStates(doc map[string]json.RawMessage) (map[string]trackers.TicketState, error) {
	out := map[string]trackers.TicketState{}
	if raw, ok := doc[TicketStatesField]; ok && !bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		if err := json.Unmarshal(raw, &out); err != nil {
			return nil, fmt.Errorf("%s: field %q: %w", l.Path, TicketStatesField, err)
		}
	}
	return out, nil
}
