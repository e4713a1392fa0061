package timeline

import (
	"fmt"
	"time"
)

// Config is the timeline: and action_items: sections of wrapup.yaml, plus the
// workspace URL that permalinks need. The config loader fills it; the zero
// value of a field means "none", so start from [Defaults].
type Config struct {
	Presets       []string          // built-in rule sets, applied after Rules
	UpdateCadence time.Duration     // a gap between status updates longer than this is late
	Statuses      map[string]string // bot's status word -> canonical status
	Rules         []RuleConfig      // the config's own rules, tried first
	Reactions     []string          // reactions that mark a key moment (a note event)

	Markers         []string // action_items.markers: line prefixes that start an action item
	ActionReactions []string // action_items.reactions: a message carrying one is an action item

	// WorkspaceURL is https://<team>.slack.com, from auth.test or
	// slack.workspace_url; empty makes every permalink null.
	WorkspaceURL string
}

// Defaults returns the configuration DESIGN documents as the defaults.
func Defaults() Config {
	return Config{
		Presets:         []string{"chatops"},
		UpdateCadence:   30 * time.Minute,
		Statuses:        map[string]string{},
		Reactions:       []string{"pushpin", "stopwatch"},
		Markers:         []string{"AI:", "Action item:", "TODO:", "Follow-up:"},
		ActionReactions: []string{"ticket"},
	}
}

// RuleConfig is one rule as wrapup.yaml and the presets spell it.
type RuleConfig struct {
	Name    string `yaml:"name"`
	Kind    string `yaml:"kind"`
	From    string `yaml:"from"`    // bot | human | any (default any)
	Bot     string `yaml:"bot"`     // bot username, bot_profile name or bot_id
	Subtype string `yaml:"subtype"` // channel_topic, pinned_item, ...
	Pattern string `yaml:"pattern"` // Go regexp with named groups

	RequireReaction string            `yaml:"require_reaction"` // the message must carry this reaction
	ReactionBy      string            `yaml:"reaction_by"`      // bot | human | any: who left it
	IfChanged       bool              `yaml:"if_changed"`       // match only when the value changes
	Once            bool              `yaml:"once"`             // match at most one message
	Set             map[string]string `yaml:"set"`              // constant group values
}

// Group names a rule's pattern may use.
const (
	GroupTitle    = "title"
	GroupSeverity = "severity"
	GroupStatus   = "status"
	GroupRole     = "role"
	GroupUser     = "user"
	GroupTeam     = "team"
	GroupSummary  = "summary"
	GroupURL      = "url"
)

var knownGroups = []string{GroupTitle, GroupSeverity, GroupStatus, GroupRole, GroupUser, GroupTeam, GroupSummary, GroupURL}

var knownKinds = []string{KindDeclared, KindSeverity, KindStatus, KindRole, KindEscalation,
	KindStatuspage, KindActionItem, KindTopic, KindPin, KindNote}

var canonicalStatuses = []string{StatusInvestigating, StatusIdentified, StatusMonitoring, StatusResolved}

// knownSubtypes are the message subtypes Slack documents; a rule naming
// another is almost certainly a typo that would silently match nothing.
var knownSubtypes = map[string]bool{
	"bot_message": true, "me_message": true, "message_changed": true, "message_deleted": true,
	"message_replied": true, "thread_broadcast": true, "channel_join": true, "channel_leave": true,
	"channel_topic": true, "channel_purpose": true, "channel_name": true, "channel_archive": true,
	"channel_unarchive": true, "channel_convert_to_private": true, "channel_posting_permissions": true,
	"group_join": true, "group_leave": true, "group_topic": true, "group_purpose": true,
	"group_name": true, "group_archive": true, "group_unarchive": true, "file_share": true,
	"file_comment": true, "file_mention": true, "pinned_item": true, "unpinned_item": true,
	"reminder_add": true, "ekm_access_denied": true, "huddle_thread": true, "bot_add": true,
	"bot_remove": true, "slackbot_response": true, "tombstone": true,
}

// MaxPatternBytes bounds a rule's pattern: Go compiles regular expressions
// in time that grows with their size (a 5 MB one took 14 s), and a bot's
// message shape fits in a few hundred bytes.
const MaxPatternBytes = 16 << 10

// ruleError names the rule a config problem is in.
func ruleError(where string, format string, args ...any) error {
	return fmt.Errorf("rule %s: "+format, append([]any{where}, args...)...)
}
