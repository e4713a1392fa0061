package library_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/wrapup/wrapup/internal/folder"
	"github.com/wrapup/wrapup/library"
	"github.com/wrapup/wrapup/timeline"
	"github.com/wrapup/wrapup/trackers"
)

// fakeReader answers from a map, and counts calls and ids asked.
type fakeReader struct {
	states map[string]trackers.TicketState
	calls  int
	asked  []string
}

func (f *fakeReader) States(_ context.Context, ids []string) (map[string]trackers.TicketState, error) {
	f.calls++
	f.asked = append(f.asked, ids...)
	out := map[string]trackers.TicketState{}
	for _, id := range ids {
		if st, ok := f.states[id]; ok {
			out[id] = st
		}
	}
	return out, nil
}

// TestRefreshTickets: one call over every folder's tickets of the
// tracker's kind; the answers land in each wrapup.json by item key, and
// the index then counts them done, open and overdue.
func TestRefreshTickets(t *testing.T) {
	dir := t.TempDir()
	ticket := func(tr, id string) *timeline.Ticket {
		return &timeline.Ticket{Tracker: tr, ID: id, URL: "https://jira.example/browse/" + id}
	}
	resolved := genNow.Add(-60 * 24 * time.Hour)
	declared := resolved.Add(-time.Hour)
	specs := []spec{
		{folder: "a", title: "A", declared: &declared, resolved: &resolved, items: []itemSpec{
			{key: "a1", ticket: ticket("jira", "OPS-1")}, {key: "a2", ticket: ticket("jira", "OPS-2")}, {key: "a3"}}},
		{folder: "b", title: "B", declared: &declared, resolved: &resolved, items: []itemSpec{
			{key: "b1", ticket: ticket("jira", "OPS-3")}, {key: "b2", ticket: ticket("github", "#4")}, {key: "b3", ticket: ticket("jira", "OPS-9")}}},
	}
	write(t, dir, specs)
	closed := resolved.Add(24 * time.Hour)
	r := &fakeReader{states: map[string]trackers.TicketState{
		"OPS-1": {State: "done", Done: true, ResolvedAt: &closed},
		"OPS-2": {State: "open"},
		"OPS-3": {State: "not_planned", ResolvedAt: &closed},
	}}
	res, err := library.RefreshTickets(context.Background(), dir, "jira", r, genNow)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(r.asked)
	if r.calls != 1 || !slices.Equal(r.asked, []string{"OPS-1", "OPS-2", "OPS-3", "OPS-9"}) {
		t.Errorf("%d calls asking %v; want one asking for the four Jira tickets", r.calls, r.asked)
	}
	if res.Asked != 4 || res.Found != 3 || res.Folders != 2 || !slices.Equal(res.Missing, []string{"OPS-9"}) {
		t.Errorf("refreshed %+v", res)
	}
	st, err := (&folder.Ledger{Path: filepath.Join(dir, "a", "wrapup.json")}).States(context.Background())
	if err != nil || st["a1"].State != "done" || !st["a1"].CheckedAt.Equal(genNow) || st["a2"].State != "open" {
		t.Errorf("folder a's states %+v, %v", st, err)
	}
	idx, err := library.Build(context.Background(), library.Options{Dir: dir, Now: genNow, OverdueAfter: 30 * 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	got := idx.Total.Actions
	// done: a1; not planned: b1; open: a2, a3, b2, b3, all resolved 60
	// days ago, so overdue.
	if got.Total != 6 || got.Done != 1 || got.NotPlanned != 1 || got.Open != 4 || got.Overdue != 4 {
		t.Errorf("actions %+v", got)
	}
}
