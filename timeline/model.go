package timeline

import (
	"time"

	"github.com/wrapup/wrapup/archive"
)

// Timeline is one incident's rebuilt timeline: timeline.json's document.
type Timeline struct {
	Schema      string       `json:"schema"`
	Incident    Incident     `json:"incident"`
	Metrics     Metrics      `json:"metrics"`
	Roles       []Role       `json:"roles"`
	Events      []Event      `json:"events"`
	ActionItems []ActionItem `json:"action_items"`

	// Participants are everyone who posted, most messages first.
	Participants []Participant `json:"participants"`
	// Omitted says why each absent metric is absent, by its JSON name.
	Omitted map[string]string `json:"omitted_metrics,omitempty"`
	// Warnings are problems in the input that lost nothing: unmapped
	// statuses, a second declaration, timestamps out of order.
	Warnings []string `json:"warnings,omitempty"`

	// Explain records which rule matched which message, for --explain.
	Explain Explain `json:"-"`
}

// Incident is what the timeline says about the incident as a whole.
type Incident struct {
	ChannelID string `json:"channel_id"`
	Channel   string `json:"channel"`
	Title     string `json:"title"`
	Severity  string `json:"severity"` // the last severity set
	Status    string `json:"status"`   // the last status set
	Commander string `json:"commander"`

	DeclaredAt  *time.Time `json:"declared_at"`
	MitigatedAt *time.Time `json:"mitigated_at"`
	ResolvedAt  *time.Time `json:"resolved_at"`

	// NoDeclaration is set when no rule recognised a declaration, so
	// DeclaredAt is the first message's time.
	NoDeclaration bool `json:"no_declaration,omitempty"`

	InitialSeverity string `json:"initial_severity,omitempty"`
	PeakSeverity    string `json:"peak_severity,omitempty"`
}

// Metrics are the incident's numbers. A nil field is a metric whose inputs
// were missing; Timeline.Omitted says why.
type Metrics struct {
	TimeToMitigate   *int64 `json:"time_to_mitigate_s,omitempty"`
	TimeToResolve    *int64 `json:"time_to_resolve_s,omitempty"`
	StatusUpdates    *int64 `json:"status_updates,omitempty"`
	LongestUpdateGap *int64 `json:"longest_update_gap_s,omitempty"`
	LateUpdates      *int64 `json:"late_updates,omitempty"`
	Responders       int64  `json:"responders"`
	Messages         int64  `json:"messages"`
	Threads          int64  `json:"threads"`

	// SecondsInStatus and SecondsAtSeverity split declared..resolved (or
	// declared..last message) by the status and severity in force.
	SecondsInStatus   map[string]int64 `json:"seconds_in_status,omitempty"`
	SecondsAtSeverity map[string]int64 `json:"seconds_at_severity,omitempty"`
}

// Event is one moment of the timeline.
type Event struct {
	At        time.Time  `json:"at"`
	Kind      string     `json:"kind"`
	Status    string     `json:"status"`
	Severity  string     `json:"severity"`
	Summary   string     `json:"summary"`
	By        string     `json:"by"`
	TS        archive.TS `json:"ts"`
	Permalink *string    `json:"permalink"`

	Role  string `json:"role,omitempty"`  // role events: the role
	User  string `json:"user,omitempty"`  // role and declared events: who holds it
	Title string `json:"title,omitempty"` // declared events
	Team  string `json:"team,omitempty"`  // escalation events
	URL   string `json:"url,omitempty"`

	Rule string `json:"rule,omitempty"` // the rule that matched; "" for built-in events
	// ThreadTS is the thread's parent when the message is a reply.
	ThreadTS archive.TS `json:"thread_ts,omitempty"`
	// PinnedTS is the pinned message, for pin events.
	PinnedTS archive.TS `json:"pinned_ts,omitempty"`
	// BotPin marks a bot pinning its own message: not a human's choice.
	BotPin bool `json:"bot_pin,omitempty"`
	// KeyMoment marks a note made from a key-moment reaction.
	KeyMoment bool `json:"key_moment,omitempty"`
	Edited    bool `json:"edited,omitempty"`
	// UnmappedStatus marks a status word that timeline.statuses does not
	// map: it is kept verbatim.
	UnmappedStatus bool `json:"unmapped_status,omitempty"`
}

// Participant is someone who posted, with how much.
type Participant struct {
	User     string `json:"user"`
	Messages int64  `json:"messages"`
	Bot      bool   `json:"bot,omitempty"`
}

// Explain is the --explain trace of a Build.
type Explain struct {
	Matches    []Match    // every rule match, in time order
	NearMisses []NearMiss // messages from a rule's bot that no rule matched
}

// Match is one rule matching one message.
type Match struct {
	TS     archive.TS
	Rule   string
	Preset string // "" for a config rule
	Kind   string
	Text   string // the text matched, first line
	// Demoted says what became of the match when it did not become the
	// event its kind names (a second declaration becomes a note).
	Demoted string
}

// NearMiss is a message from an incident bot that no rule matched.
type NearMiss struct {
	TS   archive.TS
	Bot  string
	Text string // first line
	// Tried are the rules whose filters and prefilter let the message
	// through but whose pattern (or reaction, or if_changed) did not match.
	Tried []string
}
