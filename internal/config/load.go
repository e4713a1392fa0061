package config

import (
	"fmt"
	"maps"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wrapup/wrapup/redact"
	"github.com/wrapup/wrapup/timeline"
)

// Error is a config problem at a place in a file.
type Error struct {
	File string
	Line int    // 0 when the problem has no single line
	Key  string // the key path, e.g. tracker.jira.deployment
	Err  error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":" + strconv.Itoa(e.Line))
	}
	if e.Key != "" {
		b.WriteString(": " + e.Key)
	}
	b.WriteString(": " + e.Err.Error())
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Load reads the config at path over the defaults, applies the environment's
// URL overrides (SLACK_API_URL, JIRA_URL, GITHUB_API_URL) and validates it.
// An empty path gives the defaults.
func Load(path string, getenv func(string) string) (*Config, error) {
	c := Default()
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		if err := c.decode(path, data); err != nil {
			return nil, err
		}
		c.Path = path
	}
	for env, field := range map[string]*string{
		"SLACK_API_URL": &c.Slack.APIURL, "JIRA_URL": &c.Tracker.Jira.URL, "GITHUB_API_URL": &c.Tracker.GitHub.APIURL,
	} {
		if v := getenv(env); v != "" {
			*field = v
		}
	}
	// GITHUB_API_URL is where GitHub is, for publishing as for filing.
	for env, field := range map[string]*string{"GITHUB_API_URL": &c.Publish.GitHub.APIURL} {
		if v := getenv(env); v != "" {
			*field = v
		}
	}
	for _, u := range []struct {
		key, env string
		field    *string
	}{
		{"slack.api_url", "SLACK_API_URL", &c.Slack.APIURL}, {"tracker.jira.url", "JIRA_URL", &c.Tracker.Jira.URL},
		{"tracker.github.api_url", "GITHUB_API_URL", &c.Tracker.GitHub.APIURL}, {"output.link_base", "", &c.Output.LinkBase},
		{"publish.github.api_url", "GITHUB_API_URL", &c.Publish.GitHub.APIURL},
	} {
		if clean, had := stripUserinfo(*u.field); had {
			*u.field = clean
			name := u.key
			if u.env != "" && getenv(u.env) != "" {
				name = u.env
			}
			if !slices.Contains(c.Stripped, name) {
				c.Stripped = append(c.Stripped, name)
			}
		}
	}
	if err := c.validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// stripUserinfo removes "user:password@" from a URL, and says whether it
// had any. A string that does not parse is left to validation.
func stripUserinfo(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw, false
	}
	u.User = nil
	return u.String(), true
}

func (c *Config) decode(path string, data []byte) error {
	lines, err := DecodeStrict(path, data, c)
	if lines != nil {
		c.lines = lines
	}
	return err
}

var yamlLineRE = regexp.MustCompile(`line (\d+)`)

func yamlLine(err error) int {
	if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 0
}

// cleanYAML drops yaml's "yaml: unmarshal errors:\n  line N: " framing,
// since Error says the line itself.
func cleanYAML(err error) string {
	s := strings.TrimPrefix(err.Error(), "yaml: unmarshal errors:\n")
	s = strings.TrimPrefix(s, "yaml: ")
	s = strings.TrimSpace(s)
	s = yamlLineRE.ReplaceAllString(s, "")
	s = strings.TrimLeft(s, ": ")
	return strings.ReplaceAll(s, "\n", "; ")
}

// validate checks values that decode but make no sense.
func (c *Config) validate() error {
	file := c.Path
	if file == "" {
		file = "(defaults)"
	}
	bad := func(key string, format string, args ...any) error {
		return &Error{File: file, Line: c.lines[key], Key: key, Err: fmt.Errorf(format, args...)}
	}
	oneOf := func(key, v string, allowed ...string) error {
		if !slices.Contains(allowed, v) {
			return bad(key, "%q is not one of %s", v, strings.Join(allowed, ", "))
		}
		return nil
	}
	if err := oneOf("tracker.kind", c.Tracker.Kind, "none", "jira", "github"); err != nil {
		return err
	}
	if err := oneOf("tracker.jira.deployment", c.Tracker.Jira.Deployment, "cloud", "datacenter"); err != nil {
		return err
	}
	for i, f := range c.Output.Formats {
		if err := oneOf(fmt.Sprintf("output.formats[%d]", i), f, "md", "html"); err != nil {
			return err
		}
	}
	if _, err := time.LoadLocation(c.Output.Timezone); err != nil {
		return bad("output.timezone", "unknown time zone %q", c.Output.Timezone)
	}
	switch {
	case c.Output.TranscriptLimit < 0:
		return bad("output.transcript_limit", "must not be negative")
	case c.Export.MaxFileMB < 0:
		return bad("export.max_file_mb", "must not be negative")
	case c.Incidents.ResolvedGrace < 0:
		return bad("incidents.resolved_grace", "must not be negative")
	case c.Timeline.UpdateCadence <= 0:
		return bad("timeline.update_cadence", "must be a positive duration such as 30m")
	case c.Index.OverdueAfter <= 0:
		return bad("index.overdue_after", "must be a positive duration such as 720h")
	case c.Close.ClaimTTL < 2*time.Minute:
		// A run refreshes its heartbeat every minute: a shorter claim
		// would let a second run in beside a live one.
		return bad("close.claim_ttl", "must be at least 2m (runs refresh their claim every minute)")
	}
	if c.Tracker.Kind == "github" && !regexp.MustCompile(`^[\w.-]+/[\w.-]+$`).MatchString(c.Tracker.GitHub.Repo) {
		return bad("tracker.github.repo", "%q is not owner/name", c.Tracker.GitHub.Repo)
	}
	if err := c.validatePublish(bad); err != nil {
		return err
	}
	if err := c.validateJiraUsers(bad); err != nil {
		return err
	}
	if c.Tracker.Jira.SearchLag < 0 {
		return bad("tracker.jira.search_lag", "must not be negative")
	}
	if c.Tracker.Kind == "jira" && c.Tracker.Jira.URL == "" {
		return bad("tracker.jira.url", "is required when tracker.kind is jira (or set JIRA_URL)")
	}
	for i, p := range c.Redact.Patterns {
		if err := redact.CheckPattern(p); err != nil {
			return bad(fmt.Sprintf("redact.patterns[%d]", i), "%w", err)
		}
		if _, err := regexp.Compile(p); err != nil {
			return bad(fmt.Sprintf("redact.patterns[%d]", i), "%v", err)
		}
	}
	for i, r := range c.Timeline.Rules {
		one := c.TimelineConfig()
		one.Presets, one.Rules = nil, []timeline.RuleConfig{r}
		if _, err := timeline.Compile(one); err != nil {
			return bad(fmt.Sprintf("timeline.rules[%d]", i), "%v", err)
		}
	}
	if _, err := timeline.Compile(c.TimelineConfig()); err != nil {
		return bad("timeline", "%v", err)
	}
	return nil
}

// Secret reads the secret held by the environment variable name; secrets
// are never in the file.
func Secret(getenv func(string) string, name string) string {
	if name == "" {
		return ""
	}
	return getenv(name)
}

// validateJiraUsers checks tracker.jira.users in a stable order: handles
// as Slack shows them, and people as the deployment names them.
func (c *Config) validateJiraUsers(bad func(key, format string, args ...any) error) error {
	for _, handle := range slices.Sorted(maps.Keys(c.Tracker.Jira.Users)) {
		id := c.Tracker.Jira.Users[handle]
		key := "tracker.jira.users." + handle
		if _, ok := c.lines[key]; !ok {
			key = "tracker.jira.users"
		}
		switch {
		case strings.HasPrefix(handle, "@"):
			return bad(key, "write the Slack handle without the @ (%s)", strings.TrimPrefix(handle, "@"))
		case handle == "" || strings.ContainsAny(handle, " \t\n"):
			return bad(key, "%q is not a Slack handle", handle)
		case strings.TrimSpace(id) == "":
			return bad(key, "no Jira user given for %s", handle)
		case c.Tracker.Jira.Deployment == "cloud" && strings.Contains(id, "@"):
			return bad(key, "%q is an e-mail, but Jira Cloud assigns by accountId (the id at the end of the user's profile URL, e.g. 557058:f58131cb-...)", id)
		case strings.ContainsAny(id, " \t\n"):
			return bad(key, "%q is not a Jira accountId or username", id)
		}
	}
	return nil
}

// validatePublish checks publish.github: a repo of the form owner/name,
// a base branch and a folder that make a valid path, known formats.
func (c *Config) validatePublish(bad func(key, format string, args ...any) error) error {
	p := c.Publish.GitHub
	if p.Repo == "" {
		return nil
	}
	if !regexp.MustCompile(`^[\w.-]+/[\w.-]+$`).MatchString(p.Repo) {
		return bad("publish.github.repo", "%q is not owner/name", p.Repo)
	}
	if p.Base == "" || strings.ContainsAny(p.Base, " ~^:?*[\\") || strings.Contains(p.Base, "..") {
		return bad("publish.github.base", "%q is not a branch name", p.Base)
	}
	if d := strings.Trim(p.Dir, "/"); d != p.Dir || strings.Contains(d, "..") || strings.Contains(d, "//") {
		return bad("publish.github.dir", "%q must be a relative folder without .. or leading or trailing slashes", p.Dir)
	}
	for i, f := range p.Formats {
		if !slices.Contains([]string{"md", "html"}, f) {
			return bad(fmt.Sprintf("publish.github.formats[%d]", i), "%q is not one of md, html", f)
		}
	}
	if p.TokenEnv == "" {
		return bad("publish.github.token_env", "must name the variable that holds the token")
	}
	return nil
}
