package trackers_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/wrapup/wrapup/timeline"
	"github.com/wrapup/wrapup/trackers"
)

// reporting files through Memory and reports, per item, what the test
// asks: a reason the assignee was dropped, or a halt after the create.
type reporting struct {
	*trackers.Memory
	unassigned string
	ownerNote  string
	haltAt     int32 // 1-based create that halts; 0 never
	creates    atomic.Int32
}

func (r *reporting) FileReport(ctx context.Context, it timeline.ActionItem) (trackers.Filed, error) {
	tk, err := r.Memory.File(ctx, it)
	if err != nil {
		return trackers.Filed{}, err
	}
	f := trackers.Filed{Ticket: tk, Unassigned: r.unassigned, OwnerNote: r.ownerNote}
	if r.creates.Add(1) == r.haltAt {
		return f, trackers.Halt(errors.New("created without its label"))
	}
	return f, nil
}

func TestFilerReports(t *testing.T) {
	ctx := context.Background()
	t.Run("unassigned is passed on", func(t *testing.T) {
		r := &reporting{Memory: &trackers.Memory{}, unassigned: "@alice could not be assigned in OPS",
			ownerNote: "not assignable in OPS"}
		out, err := (&trackers.Filer{Service: r}).File(ctx, items(2))
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range out {
			if o.Status != trackers.StatusCreated || o.Unassigned != r.unassigned || o.OwnerNote != r.ownerNote {
				t.Errorf("%+v", o)
			}
		}
	})
	t.Run("a halt stops filing and keeps the ticket", func(t *testing.T) {
		r := &reporting{Memory: &trackers.Memory{}, haltAt: 2}
		ledger := &trackers.MemoryLedger{}
		out, err := (&trackers.Filer{Service: r, Ledgers: []trackers.Ledger{ledger}, Concurrency: 1}).File(ctx, items(5))
		if !trackers.IsHalt(err) {
			t.Fatalf("err = %v; want a halt", err)
		}
		if n := r.creates.Load(); n != 2 {
			t.Errorf("%d creates; want 2, then none", n)
		}
		if out[0].Status != trackers.StatusCreated || out[1].Status != trackers.StatusFailed || out[1].Ticket.ID == "" {
			t.Errorf("outcomes %+v", out[:2])
		}
		for _, o := range out[2:] {
			if o.Status != trackers.StatusFailed || o.Ticket.ID != "" {
				t.Errorf("after the halt: %+v", o)
			}
		}
		got, _ := ledger.Load(ctx)
		if got[out[1].Key] != out[1].Ticket {
			t.Errorf("the halting item's ticket is not recorded: %v", got)
		}
	})
}
