// Package config reads wrapup.yaml (DESIGN "Config"): every key has a
// default, unknown keys are errors, and every error names the file, the
// line and the key. Secrets never live here: the config names the
// environment variables that hold them.
package config

import (
	"time"

	"github.com/wrapup/wrapup/timeline"
)

// Config is wrapup.yaml.
type Config struct {
	Slack       Slack       `yaml:"slack"`
	Incidents   Incidents   `yaml:"incidents"`
	Export      Export      `yaml:"export"`
	Output      Output      `yaml:"output"`
	Timeline    Timeline    `yaml:"timeline"`
	ActionItems ActionItems `yaml:"action_items"`
	Tracker     Tracker     `yaml:"tracker"`
	Close       Close       `yaml:"close"`
	Redact      Redact      `yaml:"redact"`
	Index       Index       `yaml:"index"`
	Publish     Publish     `yaml:"publish"`

	// Path is the file the config came from ("" for the defaults alone).
	Path string `yaml:"-"`
	// Stripped names the URLs (by key or variable) whose user:password
	// part Load removed: credentials belong in the environment's token
	// variables, and a URL with them would show them in every link.
	Stripped []string `yaml:"-"`
	// lines maps a key path ("timeline.rules[2]") to its line, for errors
	// found after decoding.
	lines map[string]int
}

// Slack says where Slack is and which variable holds the token.
type Slack struct {
	TokenEnv     string `yaml:"token_env"`
	APIURL       string `yaml:"api_url"`
	WorkspaceURL string `yaml:"workspace_url"`
}

// Incidents says which channels are incidents, for sweep.
type Incidents struct {
	ChannelPrefix string        `yaml:"channel_prefix"`
	ResolvedGrace time.Duration `yaml:"resolved_grace"`
}

// Export tunes step 1.
type Export struct {
	Files     bool `yaml:"files"`
	MaxFileMB int  `yaml:"max_file_mb"`
}

// Output says where and how the postmortem is written.
type Output struct {
	Dir             string   `yaml:"dir"`
	Formats         []string `yaml:"formats"`
	Templates       string   `yaml:"templates"`
	Timezone        string   `yaml:"timezone"`
	TranscriptLimit int      `yaml:"transcript_limit"`
	LinkBase        string   `yaml:"link_base"`
}

// Timeline is the timeline: section; see package timeline.
type Timeline struct {
	Presets       []string              `yaml:"presets"`
	UpdateCadence time.Duration         `yaml:"update_cadence"`
	Statuses      map[string]string     `yaml:"statuses"`
	Rules         []timeline.RuleConfig `yaml:"rules"`
	Reactions     []string              `yaml:"reactions"`
}

// ActionItems says how action items are found besides rules.
type ActionItems struct {
	Markers   []string `yaml:"markers"`
	Reactions []string `yaml:"reactions"`
}

// Tracker says where action items are filed.
type Tracker struct {
	Kind   string `yaml:"kind"` // none | jira | github
	Jira   Jira   `yaml:"jira"`
	GitHub GitHub `yaml:"github"`
}

// Jira configures the Jira tracker. Priority, Parent and CustomFields are
// optional extensions of DESIGN's keys.
type Jira struct {
	URL          string         `yaml:"url"`
	Project      string         `yaml:"project"`
	IssueType    string         `yaml:"issue_type"`
	Labels       []string       `yaml:"labels"`
	Deployment   string         `yaml:"deployment"` // cloud | datacenter
	UserEnv      string         `yaml:"user_env"`
	TokenEnv     string         `yaml:"token_env"`
	Priority     string         `yaml:"priority"`
	Parent       string         `yaml:"parent"` // a parent issue or epic key
	CustomFields map[string]any `yaml:"custom_fields"`
	// Users maps Slack handles to Jira people: accountIds on Cloud,
	// usernames on Data Center. Handles not here are looked up by the
	// Slack user's e-mail, which Cloud hides for most users.
	Users map[string]string `yaml:"users"`
	// SearchLag is how long a just-created issue may stay invisible to
	// Jira's search (Cloud's /search/jql is eventually consistent).
	SearchLag time.Duration `yaml:"search_lag"`
}

// GitHub configures the GitHub tracker.
type GitHub struct {
	Repo     string            `yaml:"repo"`
	Labels   []string          `yaml:"labels"`
	TokenEnv string            `yaml:"token_env"`
	APIURL   string            `yaml:"api_url"`
	Users    map[string]string `yaml:"users"` // Slack handle -> GitHub login
}

// Close says what happens last.
type Close struct {
	PostSummary     bool   `yaml:"post_summary"`
	ArchiveChannel  bool   `yaml:"archive_channel"`
	AnnounceChannel string `yaml:"announce_channel"`
	// ClaimTTL is how long a run's claim on a channel (its heartbeat in
	// the wrap-up message) holds off runs on other machines.
	ClaimTTL time.Duration `yaml:"claim_ttl"`
}

// Redact lists what is masked in documents and tickets.
type Redact struct {
	Builtin  bool     `yaml:"builtin"`
	Patterns []string `yaml:"patterns"`
}

// Index configures the postmortem library (wrapup index).
type Index struct {
	// Enabled makes run and sweep refresh the index after each incident
	// they close.
	Enabled bool `yaml:"enabled"`
	// OverdueAfter is how long an action item may stay open after its
	// incident's resolution before the index calls it overdue.
	OverdueAfter time.Duration `yaml:"overdue_after"`
}

// Publish says where postmortems are proposed for people to read and
// review.
type Publish struct {
	GitHub PublishGitHub `yaml:"github"`
}

// PublishGitHub proposes each postmortem as a pull request in a docs
// repository: with Repo set, the incident's documents go on branch
// wrapup/<folder> under Dir/<folder>/, against Base.
type PublishGitHub struct {
	Repo    string   `yaml:"repo"` // owner/name; "" publishes nothing
	Dir     string   `yaml:"dir"`
	Base    string   `yaml:"base"`
	Formats []string `yaml:"formats"` // md, html; timeline.json always goes too
	// Reviewers are GitHub logins, or incident roles (commander, ...)
	// whose Slack handle tracker.github.users maps to a login.
	Reviewers []string `yaml:"reviewers"`
	TokenEnv  string   `yaml:"token_env"`
	APIURL    string   `yaml:"api_url"` // GitHub Enterprise's API root; "" is github.com
}

// Default returns the config with every key at DESIGN's default.
func Default() *Config {
	td := timeline.Defaults()
	return &Config{
		Slack:     Slack{TokenEnv: "SLACK_TOKEN"},
		Incidents: Incidents{ChannelPrefix: "incident-", ResolvedGrace: 2 * time.Hour},
		Export:    Export{Files: true, MaxFileMB: 100},
		Output: Output{Dir: "postmortems", Formats: []string{"md", "html"}, Timezone: "UTC",
			TranscriptLimit: 5000},
		Timeline: Timeline{Presets: td.Presets, UpdateCadence: td.UpdateCadence, Statuses: map[string]string{},
			Reactions: td.Reactions},
		ActionItems: ActionItems{Markers: td.Markers, Reactions: td.ActionReactions},
		Tracker: Tracker{Kind: "none",
			Jira: Jira{Project: "OPS", IssueType: "Task", Labels: []string{"postmortem"}, Deployment: "cloud",
				UserEnv: "JIRA_USER", TokenEnv: "JIRA_TOKEN", Users: map[string]string{}, SearchLag: 2 * time.Minute},
			GitHub: GitHub{Repo: "owner/name", Labels: []string{"postmortem"}, TokenEnv: "GITHUB_TOKEN",
				Users: map[string]string{}},
		},
		Close:  Close{PostSummary: true, ArchiveChannel: true, ClaimTTL: 5 * time.Minute},
		Redact: Redact{Builtin: true},
		Index:  Index{Enabled: true, OverdueAfter: 720 * time.Hour},
		Publish: Publish{GitHub: PublishGitHub{Dir: "postmortems", Base: "main", Formats: []string{"md"},
			Reviewers: []string{}, TokenEnv: "GITHUB_TOKEN"}},
	}
}

// TimelineConfig is the part of the config package timeline reads.
func (c *Config) TimelineConfig() timeline.Config {
	return timeline.Config{
		Presets:         c.Timeline.Presets,
		UpdateCadence:   c.Timeline.UpdateCadence,
		Statuses:        c.Timeline.Statuses,
		Rules:           c.Timeline.Rules,
		Reactions:       c.Timeline.Reactions,
		Markers:         c.ActionItems.Markers,
		ActionReactions: c.ActionItems.Reactions,
		WorkspaceURL:    c.Slack.WorkspaceURL,
	}
}

// Location is the display time zone of output.timezone.
func (c *Config) Location() *time.Location {
	loc, err := time.LoadLocation(c.Output.Timezone)
	if err != nil {
		return time.UTC // Load has already refused an unknown zone
	}
	return loc
}
