package timeline

import (
	"time"

	"github.com/wrapup/wrapup/archive"
)

// Schema is the value of timeline.json's "schema" field.
const Schema = "wrapup.timeline/v1"

// The canonical statuses.
const (
	StatusInvestigating = "investigating"
	StatusIdentified    = "identified"
	StatusMonitoring    = "monitoring"
	StatusResolved      = "resolved"
)

// Event kinds.
const (
	KindDeclared   = "declared"
	KindSeverity   = "severity"
	KindStatus     = "status"
	KindRole       = "role"
	KindEscalation = "escalation"
	KindStatuspage = "statuspage"
	KindActionItem = "action_item"
	KindTopic      = "topic"
	KindPin        = "pin"
	KindNote       = "note"
)

// ActionItem is a follow-up found in the channel, to be filed as a ticket.
type ActionItem struct {
	// Key is a stable hash of the channel ID, the message ts and the item's
	// position in the message, so that reruns find the same items.
	Key       string     `json:"key"`
	Summary   string     `json:"summary"`            // one line
	Text      string     `json:"text,omitempty"`     // the item as written, when longer than Summary
	Assignee  string     `json:"assignee,omitempty"` // Slack handle
	By        string     `json:"by,omitempty"`       // who wrote it
	SourceTS  archive.TS `json:"source_ts"`
	Permalink *string    `json:"permalink"` // null when the workspace URL is unknown
	Ticket    *Ticket    `json:"ticket,omitempty"`
	// Unassigned says in a few words why the ticket was filed without
	// Assignee ("not assignable in OPS"); omitted when it was not so.
	Unassigned string `json:"unassigned,omitempty"`

	// AssigneeEmail is the assignee's e-mail, when the archive has it, for
	// trackers that look people up by e-mail. It never goes to timeline.json.
	AssigneeEmail string `json:"-"`
}

// Ticket is an action item's issue in a tracker.
type Ticket struct {
	Tracker string `json:"tracker"` // jira | github | memory
	ID      string `json:"id"`      // OPS-12, or owner/repo#34
	URL     string `json:"url"`
}

// Role is one role assignment.
type Role struct {
	Role string    `json:"role"`
	User string    `json:"user"`
	At   time.Time `json:"at"`
}
