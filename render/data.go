package render

import (
	"html/template"
	"time"
)

// Data is what the Markdown templates (postmortem.md.tmpl and its
// partials) execute on. Every string field is Markdown ready to print:
// text from Slack has already been redacted, converted from mrkdwn and
// escaped, so a template never needs to escape it and must not try to
// interpret it. templates/REFERENCE.md documents every field; a test keeps
// the two in step.
type Data struct {
	Title        string // the incident's title, or the channel name when no declaration was found
	Tool         string // the program that rendered the document, e.g. "wrapup v1.2.0"
	Zone         string // the display time zone, e.g. "Europe/London"
	ShowLocal    bool   // the display zone is not UTC, so times carry a second, local column
	Channel      Channel
	Incident     Incident
	Roles        []Role
	Metrics      []Metric
	Events       []Event
	Chart        Chart
	Coordination Coordination
	ActionItems  []ActionItem
	Appendix     Appendix
	Warnings     []string // problems found in the input that lost nothing
}

// Channel is the incident channel and where its archive is.
type Channel struct {
	ID         string
	Name       string // without "#"
	Permalink  string // the channel in Slack, "" when the workspace URL is unknown
	Purpose    string // the channel purpose
	Archive    string // the archive folder, relative to the document ("archive/")
	ArchiveURL string // the archive where CI publishes it (output.link_base), or ""
	Messages   int64  // messages in the channel and its threads
}

// Incident is what the timeline says about the incident as a whole.
type Incident struct {
	Severity        string // the last severity set
	InitialSeverity string
	PeakSeverity    string
	Status          string // the last status set
	Commander       string // @handle, or "" when none is known
	Declared        Time
	Mitigated       Time
	Resolved        Time
	Duration        string // declared to resolved (or to the last message), e.g. "1h 44m"
	NoDeclaration   bool   // no rule recognised a declaration; Declared is the first message
	Summary         string // a sentence with what is known, to start the summary from
}

// Time is a moment shown in UTC and in the display zone.
type Time struct {
	Set   bool      // false for an absent time; the other fields are then empty
	At    time.Time // the moment, in UTC
	UTC   string    // "2026-03-26 14:02:11"
	Date  string    // "2026-03-26", UTC
	Clock string    // "14:02:11", UTC
	Local string    // "2026-03-26 15:02 CET" in the display zone
}

// Role is one role assignment.
type Role struct {
	Role string // "commander", "comms lead", ...
	User string // @handle
	At   Time
}

// Metric is one key metric with the formula it comes from.
type Metric struct {
	Name    string // "Time to mitigate"
	Value   string // "1h 7m 49s", or "—" when absent
	Formula string // "declared → first monitoring"
	Note    string // why an absent metric is absent, or ""
}

// Event is one row of the timeline.
type Event struct {
	At        Time
	Actor     string // @handle or bot name
	Kind      string // declared, severity, status, role, escalation, statuspage, action_item, topic, pin, note
	Label     string // what happened: "status → identified", "severity → SEV1", "role: comms lead"
	Summary   string
	Permalink string // the message in Slack, or ""
	Change    bool   // a declaration, status or severity change: shown in bold
	Key       bool   // a key moment (marked by a reaction)
	Pin       bool   // a pin
	Reply     bool   // the message is a thread reply
	Marker    string // "⭐" for a key moment, "📌" for a pin, else ""
}

// Chart is the phases of the incident: time in each status, with the
// severity changes marked.
type Chart struct {
	Phases     []Phase
	Severities []Mark
	Mermaid    string // a mermaid gantt of Phases and Severities, without the fence
	// Changes is how many phases there were when there were too many to
	// chart (over 60): Phases then shows the status that held longest in
	// each sixtieth of the incident. 0 when Phases are exact.
	Changes int
	SVG     SVG // the same chart laid out for HTML
}

// Phase is a stretch of time in one status.
type Phase struct {
	Status   string
	Start    Time
	End      Time
	Duration string
	Seconds  int64
}

// Mark is a severity change.
type Mark struct {
	Severity string
	At       Time
}

// SVG is the phase chart laid out for _chart.html.tmpl. The SVG is as
// wide as the page and not scaled: vertical positions are CSS pixels and
// horizontal ones percentages of its width, so its text keeps the style
// sheet's size on a phone as on a desktop.
type SVG struct {
	Height int // pixels
	Bars   []Bar
	Marks  []SVGMark
	Ticks  []Tick
	Rows   []Tick // one label per status row, above its bars
}

// Bar is one phase in the SVG chart.
type Bar struct {
	X, W  float64 // left edge and width, in percent of the chart's width
	Y, H  int     // top edge and height, in pixels
	Class string  // "s-investigating", "s-identified", ...: the CSS class that colours it
	Label string  // plain text: "identified, 55m"
}

// SVGMark is a severity change in the SVG chart: a dashed line from Top
// to Bottom, labelled above.
type SVGMark struct {
	X      float64 // percent of the chart's width
	Y      int     // the label's baseline, in pixels
	Top    int     // where the line starts, in pixels
	Bottom int     // where it ends: the axis, in pixels
	Anchor string  // the label's text-anchor: "start", "middle" or "end"
	Label  string  // plain text: "SEV1 at 14:17"
}

// Tick is a label on the SVG chart's time axis, or a row's label.
type Tick struct {
	X      float64 // percent of the chart's width
	Y      int     // the baseline, in pixels
	Anchor string  // text-anchor: "start", "middle" or "end"
	Label  string
}

// Coordination is how the response was run.
type Coordination struct {
	Cadence    string // timeline.update_cadence, e.g. "30m"
	Updates    string // status updates from declaration through resolution, or "—"
	LongestGap string // "55m", or "—"
	LateGaps   []Gap  // the stretches between updates longer than the cadence
	Roles      []RoleCheck
	Responders []Responder
}

// Gap is a stretch between two consecutive status updates.
type Gap struct {
	From, To Time
	Length   string
}

// RoleCheck says whether a role was held, and by whom.
type RoleCheck struct {
	Role     string
	User     string // @handle, or "" when unassigned
	Assigned bool
}

// Responder is someone who posted, with how much.
type Responder struct {
	User     string
	Messages int64
	Bot      bool
}

// ActionItem is a follow-up found in the channel.
type ActionItem struct {
	Key     string // stable hash that finds the same item on a rerun
	Summary string
	// Assignee is the owner column: @handle, or "", followed where the
	// ticket could not be assigned by why ("@alice, not assignable in
	// OPS").
	Assignee  string
	By        string // who wrote it
	Permalink string // the source message, or ""
	TicketID  string // "OPS-12" once filed, else ""
	TicketURL string
}

// Appendix holds the reference material at the end of the document.
type Appendix struct {
	Pins       []Message
	StatusPage []Event
	Files      []File
	Topics     []Message
}

// Message is a message quoted in the appendix, on one line.
type Message struct {
	At        Time
	Author    string
	Text      string
	Permalink string
}

// File is a file shared in the channel.
type File struct {
	Name      string
	Type      string // the file type Slack gives, e.g. "png"
	Size      string // "1.2 MB", or ""
	Author    string
	At        Time
	Permalink string // the message that shared it, or ""
}

// Page is what page.html.tmpl and transcript.html.tmpl execute on.
type Page struct {
	Title string        // plain text, for <title>
	Body  template.HTML // the postmortem's Markdown rendered by goldmark, chart included
	// Transcript is the whole channel, threads under their parents; empty
	// on postmortem.html when the transcript went to its own file. It is
	// filled only when an HTML template comes from an override folder:
	// the built-in ones print TranscriptHTML.
	Transcript []Entry
	// TranscriptHTML is Transcript laid out as the built-in templates show
	// it: an ordered list with each thread's replies in a <details>.
	TranscriptHTML template.HTML
	// TranscriptFile is "transcript.html" when the transcript is too long
	// for postmortem.html (output.transcript_limit), else "".
	TranscriptFile string
	Messages       int64 // messages in the transcript, replies included
	Data           *Data
}

// Entry is one message of the HTML transcript.
type Entry struct {
	ID        string // the HTML id, "m" plus the ts in microseconds
	At        Time
	Author    string // plain text
	Bot       bool
	Body      template.HTML // the message, converted from mrkdwn and rendered by goldmark
	Edited    bool
	Event     string // a subtype shown instead of a body, e.g. "joined the channel"
	Files     []string
	Reactions []string // "⏱️ ×2", ":party_parrot: ×1"
	Permalink string
	Replies   []Entry
}
