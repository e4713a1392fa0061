package trackers

import (
	"context"
	"time"
)

// TicketState is what the tracker says of one filed ticket, and when it was asked.
type TicketState struct {
	// State is "open", "done" or "not_planned" (GitHub: closed with state_reason
	// not_planned; Jira: status category done with a resolution such as "Won't Do"
	// or "Won't Fix" or "Duplicate" or "Cannot Reproduce").
	State      string     `json:"state"`
	Done       bool       `json:"done"`                  // State == "done"
	ResolvedAt *time.Time `json:"resolved_at,omitempty"` // Jira resolutiondate; GitHub closed_at
	CheckedAt  time.Time  `json:"checked_at"`            // when wrapup asked
}

// StateReader reads filed tickets' states, in as few calls as the API allows
// (Jira: JQL `key in (...)` batches; GitHub: REST list issues by label, state=all).
// ids are Ticket.ID values (Jira keys "OPS-12", GitHub numbers "#12" or "12" as
// Ticket.ID holds them). An id the tracker no longer knows is absent from the result.
type StateReader interface {
	States(ctx context.Context, ids []string) (map[string]TicketState, error)
}
