package trackertest

import (
	"context"
	"strings"
	"testing"

	"github.com/wrapup/wrapup/timeline"
	"github.com/wrapup/wrapup/trackers"
)

// Inspect reads a filed ticket back from the tracker's emulator: its text
// (description or body) and its assignee ("" when unassigned).
type Inspect func(t *testing.T, tk timeline.Ticket) (text, assignee string)

// Assignable and Refused are the Slack handles of the assignee contract:
// the tracker's world must let Assignable be assigned in the project or
// repository it files in, and know Refused but refuse to assign them.
const (
	Assignable = "alice"
	Refused    = "mallory"
)

// RunAssignees runs the assignee contract: assignees are a wish. A
// person the tracker refuses (Jira's 400 errors.assignee, GitHub's 422
// field assignees) gets the item filed unassigned, once, and both the
// ticket's text and the Filer's outcome say who could not be assigned
// (Outcome.Unassigned) and, for the owner column, where (OwnerNote).
func RunAssignees(t *testing.T, newTracker func(t *testing.T) (trackers.Service, Inspect)) {
	t.Helper()
	ctx := context.Background()
	t.Run("an assignable person is assigned", func(t *testing.T) {
		s, inspect := newTracker(t)
		it := Item("assign", 1)
		it.Assignee = Assignable
		out, err := (&trackers.Filer{Service: s}).File(ctx, []timeline.ActionItem{it})
		if err != nil {
			t.Fatal(err)
		}
		if out[0].Status != trackers.StatusCreated || out[0].Unassigned != "" {
			t.Errorf("outcome %+v; want created, assigned", out[0])
		}
		if _, who := inspect(t, out[0].Ticket); who == "" {
			t.Errorf("%s was not assigned", Assignable)
		}
	})

	t.Run("a refused assignee is dropped and named", func(t *testing.T) {
		s, inspect := newTracker(t)
		it := Item("refused", 2)
		it.Assignee = Refused
		f := &trackers.Filer{Service: s}
		out, err := f.File(ctx, []timeline.ActionItem{it})
		if err != nil {
			t.Fatalf("filing with a refused assignee failed: %v", err)
		}
		o := out[0]
		if o.Status != trackers.StatusCreated || !strings.Contains(o.Unassigned, "@"+Refused) ||
			!strings.HasPrefix(o.OwnerNote, "not assignable in ") {
			t.Errorf("outcome %+v; want created, with Unassigned naming @%s and an owner note saying where", o, Refused)
		}
		text, who := inspect(t, o.Ticket)
		if who != "" {
			t.Errorf("assigned to %q", who)
		}
		// GitHub text breaks mentions with a zero-width space: it still reads @mallory.
		if !strings.Contains(strings.ReplaceAll(text, "\u200b", ""), "@"+Refused) || !strings.Contains(text, "could not be assigned") {
			t.Errorf("the ticket's text does not say @%s could not be assigned:\n%s", Refused, text)
		}
		again, err := f.File(ctx, []timeline.ActionItem{it})
		if err != nil || again[0].Status != trackers.StatusFound || again[0].Ticket != o.Ticket {
			t.Errorf("second run: %+v %v; want the same ticket found", again[0], err)
		}
	})
}
