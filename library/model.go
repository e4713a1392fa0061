package library

import (
	"time"

	"github.com/wrapup/wrapup/timeline"
)

// DefaultOverdueAfter is index.overdue_after's default: an action item
// still open 30 days after its incident was resolved is overdue.
const DefaultOverdueAfter = 720 * time.Hour

// File names the index writes in the output folder.
const (
	MarkdownFile = "index.md"
	HTMLFile     = "index.html"
)

// Options say where the library is and how to judge it.
type Options struct {
	Dir string // the output folder holding the incident folders
	// OverdueAfter is index.overdue_after; 0 means DefaultOverdueAfter.
	OverdueAfter time.Duration
	// Now is the index's build time, against which items' ages are
	// counted; the zero time means time.Now().
	Now time.Time
	// Templates is a folder overriding the built-in index templates file
	// by file (output.templates); "" uses the built-in ones.
	Templates string
}

// Index is the library: every incident found, newest first, and the trends.
type Index struct {
	Dir          string
	BuiltAt      time.Time
	OverdueAfter time.Duration

	Incidents []*Incident // newest first; undated ones last
	// Months are every UTC month from the first incident's to the last
	// one's, oldest first, empty months included, so charts keep time's
	// scale.
	Months []*Trend
	// Severities are the final severities, most severe first (see
	// SeverityOrder); "" (none set) last.
	Severities []*Trend
	Total      *Trend // every incident
	// AgeBuckets label Trend.OpenByAge's counts.
	AgeBuckets []string
	// Overdue are the overdue action items, the oldest first.
	Overdue []*Overdue
	// Skipped are the folders under Dir that are not in the index, and why.
	Skipped []Skipped
}

// Skipped is a folder left out of the index.
type Skipped struct {
	Folder string `json:"folder"`
	Why    string `json:"why"`
}

// Incident is one incident folder's figures.
type Incident struct {
	Folder       string
	Title        string
	Channel      string
	Severity     string // the final severity
	PeakSeverity string // the most severe ever set
	Status       string
	Commander    string
	DeclaredAt   *time.Time
	ResolvedAt   *time.Time
	// Duration, TTM, TTR and LateUpdates are seconds (a count for
	// LateUpdates); nil when unknown.
	Duration    *int64
	TTM, TTR    *int64
	LateUpdates *int64
	Responders  int64
	Messages    int64
	Actions     Actions
	Items       []*Item
	// Markdown and HTML are the postmortem's paths relative to the index,
	// "<folder>/postmortem.md" and ".html", "" where the file is missing.
	Markdown, HTML string
}

// Month is the UTC month of the declaration, "2026-03"; "" when undated.
func (in *Incident) Month() string {
	if in.DeclaredAt == nil {
		return ""
	}
	return in.DeclaredAt.UTC().Format("2006-01")
}

// Actions counts an incident's (or a trend row's) action items.
type Actions struct {
	Total      int `json:"total"`
	Done       int `json:"done"`
	NotPlanned int `json:"-"`
	Open       int `json:"open"`
	Overdue    int `json:"overdue"`
}

func (a *Actions) add(b Actions) {
	a.Total += b.Total
	a.Done += b.Done
	a.NotPlanned += b.NotPlanned
	a.Open += b.Open
	a.Overdue += b.Overdue
}

// Item states, as trackers.TicketState.State spells them; StateUnknown is
// an item whose ticket's state was never asked, or that has no ticket.
const (
	StateOpen       = "open"
	StateDone       = "done"
	StateNotPlanned = "not_planned"
	StateUnknown    = ""
)

// Item is one action item and what is known of its ticket.
type Item struct {
	Key      string
	Summary  string
	Assignee string
	Ticket   *timeline.Ticket
	State    string
	// ResolvedAt is when the ticket was closed, CheckedAt when wrapup
	// last asked; nil when not known.
	ResolvedAt, CheckedAt *time.Time
	// Open is State open or unknown. Age is how long it has been open,
	// counted from the incident's resolution (declaration); Overdue says
	// Age is past index.overdue_after.
	Open    bool
	Age     time.Duration
	Overdue bool
}

// Overdue is an overdue action item with its incident.
type Overdue struct {
	Incident *Incident
	Item     *Item
}

// Trend is one row of a trend table: a month, a severity, or everything.
type Trend struct {
	Label     string // "2026-03", "SEV1", "" (no severity), "all"
	Incidents int
	// Nearest-rank percentiles of the rows' incidents' TTM and TTR, in
	// seconds; nil when none of them has the figure.
	MedianTTM, P90TTM, MedianTTR, P90TTR *int64
	LateUpdates                          int64
	Actions                              Actions
	// OpenByAge counts the open items by Index.AgeBuckets.
	OpenByAge []int
	// BySeverity counts the row's incidents by final severity, in
	// Index.Severities' order (months only).
	BySeverity []int
}
