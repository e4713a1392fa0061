package trackers

import (
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/wrapup/wrapup/timeline"
)

// Planned is one ticket a dry run would have filed.
type Planned struct {
	Key      string `json:"key"`
	Summary  string `json:"summary"`
	Assignee string `json:"assignee,omitempty"`
}

// DryRun wraps a Service so that lookups go through (they only read) and
// File records a plan instead of creating anything.
type DryRun struct {
	svc Service
	out io.Writer

	mu   sync.Mutex
	plan []Planned
}

var _ Service = (*DryRun)(nil)

// NewDryRun wraps svc; each planned item is also written to out as a line,
// unless out is nil.
func NewDryRun(svc Service, out io.Writer) *DryRun { return &DryRun{svc: svc, out: out} }

// Lookup implements Finder by asking the wrapped service.
func (d *DryRun) Lookup(ctx context.Context, keys []string) (map[string]timeline.Ticket, error) {
	return d.svc.Lookup(ctx, keys)
}

// File implements Tracker: it records the plan and returns [ErrDryRun].
func (d *DryRun) File(_ context.Context, it timeline.ActionItem) (timeline.Ticket, error) {
	p := Planned{Key: it.Key, Summary: it.Summary, Assignee: it.Assignee}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.plan = append(d.plan, p)
	if d.out != nil {
		// %q keeps hostile text on one line and visibly quoted.
		fmt.Fprintf(d.out, "would file %s: %q", p.Key, p.Summary)
		if p.Assignee != "" {
			fmt.Fprintf(d.out, " (assignee %q)", p.Assignee)
		}
		fmt.Fprintln(d.out)
	}
	return timeline.Ticket{}, ErrDryRun
}

// Plan returns what would have been filed, in the order File was called.
func (d *DryRun) Plan() []Planned {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]Planned(nil), d.plan...)
}
