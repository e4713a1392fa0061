package library

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"time"

	"github.com/wrapup/wrapup/internal/folder"
	"github.com/wrapup/wrapup/trackers"
)

// Refreshed says what RefreshTickets did.
type Refreshed struct {
	Asked   int      // distinct tickets asked about
	Found   int      // of those, the ones the tracker knows
	Folders int      // incident folders whose wrapup.json got states
	Missing []string // ticket IDs the tracker no longer knows
}

// RefreshTickets asks reader, in one call, for the state of every ticket
// of tracker kind (Ticket.Tracker: "jira" or "github") filed from the
// incident folders under dir, and records the answers in each folder's
// wrapup.json (ticket_states, by item key; see folder.Ledger.SetStates).
// A state without CheckedAt gets now. Folders the index skips are left
// alone.
func RefreshTickets(ctx context.Context, dir, kind string, reader trackers.StateReader, now time.Time) (*Refreshed, error) {
	folders, _, err := readFolders(ctx, dir)
	if err != nil {
		return nil, err
	}
	// keys[folder][ticket ID] = item keys holding that ticket
	keys := make([]map[string][]string, len(folders))
	var ids []string
	seen := map[string]bool{}
	for i, fd := range folders {
		keys[i] = map[string][]string{}
		add := func(key, tracker, id string) {
			if tracker != kind || id == "" || slices.Contains(keys[i][id], key) {
				return
			}
			keys[i][id] = append(keys[i][id], key)
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
		for _, ai := range fd.tl.ActionItems {
			if ai.Ticket != nil {
				add(ai.Key, ai.Ticket.Tracker, ai.Ticket.ID)
			}
		}
		for _, key := range slices.Sorted(maps.Keys(fd.tickets)) {
			add(key, fd.tickets[key].Tracker, fd.tickets[key].ID)
		}
	}
	res := &Refreshed{Asked: len(ids)}
	if len(ids) == 0 {
		return res, nil
	}
	states, err := reader.States(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("ticket states: %w", err)
	}
	for _, id := range ids {
		if _, ok := states[id]; ok {
			res.Found++
		} else {
			res.Missing = append(res.Missing, id)
		}
	}
	for i, fd := range folders {
		byKey := map[string]trackers.TicketState{}
		for id, ks := range keys[i] {
			st, ok := states[id]
			if !ok {
				continue
			}
			if st.CheckedAt.IsZero() {
				st.CheckedAt = now.UTC().Truncate(time.Second)
			}
			for _, k := range ks {
				byKey[k] = st
			}
		}
		if len(byKey) == 0 {
			continue
		}
		l := &folder.Ledger{Path: filepath.Join(dir, fd.name, folder.RecordName)}
		if err := l.SetStates(ctx, byKey); err != nil {
			return nil, err
		}
		res.Folders++
	}
	return res, nil
}
