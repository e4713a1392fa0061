package trackertest

import (
	"context"
	"fmt"
	"testing"

	"github.com/wrapup/wrapup/timeline"
	"github.com/wrapup/wrapup/trackers"
)

// FailReads makes the tracker's emulator answer its next n lookup reads
// (search, list) with the given 5xx status.
type FailReads func(t *testing.T, n, status int)

// RunReads runs the read contract: lookups change nothing, so a 5xx is
// retried like any other call, and one bad answer fails neither a
// lookup nor a filing run.
func RunReads(t *testing.T, newTracker func(t *testing.T) (trackers.Service, FailReads)) {
	t.Helper()
	ctx := context.Background()
	for _, status := range []int{500, 502, 503} {
		t.Run(fmt.Sprintf("a lookup survives one %d", status), func(t *testing.T) {
			s, fail := newTracker(t)
			it := Item("reads", status)
			tk, err := s.File(ctx, it)
			if err != nil {
				t.Fatal(err)
			}
			fail(t, 1, status)
			got, err := s.Lookup(ctx, []string{it.Key})
			if err != nil || got[it.Key] != tk {
				t.Errorf("Lookup after one %d: %v, %v; want %+v", status, got, err, tk)
			}
		})
	}
	t.Run("a filing run survives a failed first lookup", func(t *testing.T) {
		s, fail := newTracker(t)
		fail(t, 1, 503)
		out, err := (&trackers.Filer{Service: s}).File(ctx, []timeline.ActionItem{Item("readrun", 1)})
		if err != nil || out[0].Status != trackers.StatusCreated {
			t.Errorf("%+v %v", out, err)
		}
	})
}
