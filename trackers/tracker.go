package trackers

import (
	"context"
	"errors"

	"github.com/wrapup/wrapup/timeline"
)

// Tracker creates one ticket for one action item. It need not be
// idempotent by itself: the [Filer] makes filing idempotent.
type Tracker interface {
	File(ctx context.Context, item timeline.ActionItem) (timeline.Ticket, error)
}

// Finder finds the tickets already filed for the given item keys. The
// result maps each key found to its ticket; keys not found are absent.
// Implementations make one query per call where the API allows it, not one
// per key.
type Finder interface {
	Lookup(ctx context.Context, keys []string) (map[string]timeline.Ticket, error)
}

// Service is a Tracker that can also find what it filed: what a [Filer]
// needs.
type Service interface {
	Tracker
	Finder
}

// Filed is what a tracker reports of one ticket it created.
type Filed struct {
	timeline.Ticket
	// Unassigned says, for people, why the item's assignee was not set
	// ("@alice could not be assigned in OPS"); empty when the item was
	// assigned as asked or named no one. The ticket's text says it too.
	Unassigned string
	// OwnerNote says the same in a few words, for a postmortem's owner
	// column beside the handle ("not assignable in OPS").
	OwnerNote string
}

// Reporter is a Tracker that can say more of what it filed than the
// ticket. A [Filer] uses FileReport instead of File where a tracker has
// it.
type Reporter interface {
	FileReport(ctx context.Context, item timeline.ActionItem) (Filed, error)
}

// ErrDryRun is returned by a [DryRun] tracker's File: the item was planned,
// not filed.
var ErrDryRun = errors.New("dry run: not filed")

// PostmortemLinker is a tracker that can link a ticket it filed to the
// postmortem after the fact, idempotently: tickets filed before the
// postmortem was published get the link on the run that publishes it,
// and every rerun leaves exactly one link. It reports whether it changed
// the ticket.
type PostmortemLinker interface {
	LinkPostmortem(ctx context.Context, t timeline.Ticket, url string) (bool, error)
}
