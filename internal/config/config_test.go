package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func write(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "wrapup.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func noEnv(string) string { return "" }

func TestDefaults(t *testing.T) {
	for _, body := range []string{"", "# only a comment\n"} {
		c, err := Load(write(t, body), noEnv)
		if err != nil {
			t.Fatal(err)
		}
		want := Default()
		want.Path = c.Path
		if diff := cmp.Diff(want, c, cmpopts.IgnoreUnexported(Config{})); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	}
	c := Default()
	if c.Incidents.ResolvedGrace != 2*time.Hour || c.Timeline.UpdateCadence != 30*time.Minute ||
		c.Output.TranscriptLimit != 5000 || !c.Close.ArchiveChannel || c.Tracker.Jira.Project != "OPS" ||
		!c.Index.Enabled || c.Index.OverdueAfter != 720*time.Hour {
		t.Errorf("defaults %+v", c)
	}
}

func TestLoadFull(t *testing.T) {
	p := write(t, `
slack: {token_env: MY_SLACK, workspace_url: "https://acme.slack.com"}
incidents: {channel_prefix: "inc-", resolved_grace: 90m}
output: {dir: out, formats: [md], timezone: Europe/Berlin, link_base: "https://ci.example.com/pm"}
timeline:
  presets: [chatops, dispatch]
  update_cadence: 15m
  statuses: {triage: investigating, mitigated: monitoring, closed: resolved}
  rules:
    - name: opened
      kind: declared
      from: bot
      bot: OpsBot
      pattern: '^:rotating_light: \*(?P<title>.+?)\* opened \((?P<severity>P\d)\), lead (?P<user>\S+)'
tracker:
  kind: github
  github: {repo: acme/incidents, users: {alice: alice-gh}}
close: {archive_channel: false}
index: {enabled: false, overdue_after: 336h}
`)
	c, err := Load(p, func(k string) string {
		if k == "GITHUB_API_URL" {
			return "http://127.0.0.1:9/api/v3/"
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.Incidents.ResolvedGrace != 90*time.Minute || c.Timeline.UpdateCadence != 15*time.Minute ||
		c.Location().String() != "Europe/Berlin" || c.Tracker.GitHub.Users["alice"] != "alice-gh" ||
		c.Tracker.GitHub.APIURL != "http://127.0.0.1:9/api/v3/" || c.Close.ArchiveChannel || !c.Close.PostSummary ||
		len(c.Timeline.Rules) != 1 || c.Timeline.Rules[0].Bot != "OpsBot" || c.Slack.TokenEnv != "MY_SLACK" ||
		c.Index.Enabled || c.Index.OverdueAfter != 14*24*time.Hour {
		t.Errorf("config %+v", c)
	}
	tc := c.TimelineConfig()
	if tc.WorkspaceURL != "https://acme.slack.com" || tc.Statuses["mitigated"] != "monitoring" {
		t.Errorf("timeline config %+v", tc)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"unknown top key", "slack: {}\ntrackers: {}\n", `wrapup.yaml:2: trackers: unknown key (valid here: slack, incidents,`},
		{"unknown nested key", "tracker:\n  jira:\n    projct: OPS\n", `wrapup.yaml:3: tracker.jira.projct: unknown key (valid here: url, project,`},
		{"unknown rule key", "timeline:\n  rules:\n    - name: x\n      kind: status\n      patern: x\n", `wrapup.yaml:5: timeline.rules[0].patern: unknown key`},
		{"bad duration", "incidents:\n  resolved_grace: soon\n", `wrapup.yaml:2: cannot unmarshal !!str ` + "`soon`"},
		{"bad yaml", "slack: [\n", `wrapup.yaml:`},
		{"not a mapping", "output: 3\n", `wrapup.yaml:1: output: want a mapping, got "3"`},
		{"bad tracker kind", "tracker:\n  kind: trello\n", `wrapup.yaml:2: tracker.kind: "trello" is not one of none, jira, github`},
		{"bad format", "output:\n  formats: [md, pdf]\n", `wrapup.yaml:2: output.formats[1]: "pdf" is not one of md, html`},
		{"bad zone", "output:\n  timezone: Mars/Olympus\n", `output.timezone: unknown time zone "Mars/Olympus"`},
		{"bad repo", "tracker:\n  kind: github\n  github: {repo: nope}\n", `tracker.github.repo: "nope" is not owner/name`},
		{"jira without url", "tracker:\n  kind: jira\n", `tracker.jira.url: is required`},
		{"jira user by e-mail on cloud", "tracker:\n  jira:\n    users:\n      alice: 557058:a1\n      bob: bob@acme.example\n", `wrapup.yaml:5: tracker.jira.users.bob: "bob@acme.example" is an e-mail, but Jira Cloud assigns by accountId`},
		{"jira user handle with @", "tracker:\n  jira:\n    users: {\"@alice\": 557058:a1}\n", `wrapup.yaml:3: tracker.jira.users.@alice: write the Slack handle without the @`},
		{"jira user empty", "tracker:\n  jira:\n    users:\n      alice: \"\"\n", `wrapup.yaml:4: tracker.jira.users.alice: no Jira user given for alice`},
		{"negative search lag", "tracker:\n  jira:\n    search_lag: -1m\n", `tracker.jira.search_lag: must not be negative`},
		{"bad search lag", "tracker:\n  jira:\n    search_lag: soon\n", `wrapup.yaml:3: cannot unmarshal`},
		{"bad redact regex", "redact:\n  patterns: ['(']\n", `wrapup.yaml:2: redact.patterns[0]: error parsing regexp`},
		{"bad rule", "timeline:\n  rules:\n    - name: broken\n      kind: status\n      pattern: '(?P<status>'\n", `wrapup.yaml:3: timeline.rules[0]: rule "broken"`},
		{"unknown preset", "timeline:\n  presets: [pagerduty]\n", `timeline:`},
		{"unknown index key", "index:\n  overdue: 1h\n", `wrapup.yaml:2: index.overdue: unknown key (valid here: enabled, overdue_after)`},
		{"zero overdue_after", "index:\n  overdue_after: 0s\n", `wrapup.yaml:2: index.overdue_after: must be a positive duration`},
		{"bare number overdue_after", "index:\n  overdue_after: 720\n", `wrapup.yaml:2: index.overdue_after: want a duration`},
	}
	// A 5 MB pattern compiled for 14 s (issue 12, item 9); it is refused
	// before compiling, naming its key.
	huge := "(?:" + strings.Repeat("abcd|", 1<<20) + "x)"
	tests = append(tests,
		struct{ name, body, want string }{"huge redact regex", "redact:\n  patterns: ['" + huge + "']\n",
			fmt.Sprintf("wrapup.yaml:2: redact.patterns[0]: pattern too long: %d bytes, at most 16384", len(huge))},
		struct{ name, body, want string }{"huge rule regex", "timeline:\n  rules:\n    - name: huge\n      kind: status\n      pattern: '" + huge + "'\n",
			fmt.Sprintf(`wrapup.yaml:3: timeline.rules[0]: rule "huge" (timeline.rules[0]): pattern: %d bytes, at most 16384`, len(huge))},
		struct{ name, body, want string }{"empty redact regex", "redact:\n  patterns: ['']\n", "wrapup.yaml:2: redact.patterns[0]: empty pattern"},
	)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(write(t, tt.body), noEnv)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v\nwant it to contain %q", err, tt.want)
			}
		})
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.yaml"), noEnv); err == nil {
		t.Error("a missing file loaded")
	}
}

// TestJiraUsersAndSearchLag: DESIGN "Config": tracker.jira.users maps
// Slack handles to accountIds (Cloud) or usernames (DC); search_lag
// defaults to 2m.
func TestJiraUsersAndSearchLag(t *testing.T) {
	c, err := Load(write(t, "tracker:\n  jira:\n    deployment: datacenter\n    users: {alice: alice.smith}\n    search_lag: 20s\n"), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if c.Tracker.Jira.Users["alice"] != "alice.smith" || c.Tracker.Jira.SearchLag != 20*time.Second {
		t.Errorf("jira %+v", c.Tracker.Jira)
	}
	if d := Default().Tracker.Jira; d.SearchLag != 2*time.Minute || d.Users == nil {
		t.Errorf("defaults %+v", d)
	}
}

// TestURLCredentialsStripped: JIRA_URL=https://user:pass@acme.atlassian.net
// would put the credentials into every ticket link (the wrap-up message,
// the documents, timeline.json, wrapup.json, --json). Load removes them
// and says where they were.
func TestURLCredentialsStripped(t *testing.T) {
	env := map[string]string{"JIRA_URL": "https://bot%40acme.example:s3cret@acme.atlassian.net/", "GITHUB_API_URL": "https://x:y@ghe.example/api/v3/"}
	c, err := Load("", func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{c.Tracker.Jira.URL, c.Tracker.GitHub.APIURL} {
		if strings.Contains(u, "s3cret") || strings.Contains(u, "@") || strings.Contains(u, "x:y") {
			t.Errorf("URL %q keeps its credentials", u)
		}
	}
	if c.Tracker.Jira.URL != "https://acme.atlassian.net/" {
		t.Errorf("jira url %q", c.Tracker.Jira.URL)
	}
	if got := strings.Join(c.Stripped, ","); got != "JIRA_URL,GITHUB_API_URL" {
		t.Errorf("stripped %q", got)
	}
}

// TestStrictShapes: a duration written as a bare number (yaml would read
// 5 as five nanoseconds), a key given twice and a scalar where a list
// belongs are errors naming the file, line and key.
func TestStrictShapes(t *testing.T) {
	for _, tc := range []struct{ yaml, want string }{
		{"incidents:\n  resolved_grace: 5\n", `x.yaml:2: incidents.resolved_grace: want a duration such as 2m or 500ms, got "5"`},
		{"close:\n  claim_ttl: 300\n", `x.yaml:2: close.claim_ttl: want a duration`},
		{"action_items:\n  markers: \"AI:\"\n", `x.yaml:2: action_items.markers: want a list, got "AI:"`},
	} {
		p := filepath.Join(t.TempDir(), "x.yaml")
		if err := os.WriteFile(p, []byte(tc.yaml), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := Load(p, func(string) string { return "" })
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want %q", tc.yaml, err, tc.want)
		}
	}
}

// TestPublish: DESIGN "Config" publish.github, its defaults, strict keys
// and its checks, each naming the line and key.
func TestPublish(t *testing.T) {
	d := Default().Publish.GitHub
	if d.Repo != "" || d.Dir != "postmortems" || d.Base != "main" || !cmp.Equal(d.Formats, []string{"md"}) ||
		len(d.Reviewers) != 0 || d.TokenEnv != "GITHUB_TOKEN" || d.APIURL != "" {
		t.Errorf("publish defaults %+v", d)
	}
	c, err := Load(write(t, "publish:\n  github: {repo: acme/docs, dir: pm, base: trunk, formats: [md, html], reviewers: [commander, bob-gh]}\n"),
		func(k string) string {
			if k == "GITHUB_API_URL" {
				return "https://ghe.example/api/v3"
			}
			return ""
		})
	if err != nil {
		t.Fatal(err)
	}
	if p := c.Publish.GitHub; p.Repo != "acme/docs" || p.Dir != "pm" || p.Base != "trunk" || len(p.Formats) != 2 ||
		!cmp.Equal(p.Reviewers, []string{"commander", "bob-gh"}) || p.APIURL != "https://ghe.example/api/v3" {
		t.Errorf("publish %+v", p)
	}
	for _, tt := range []struct{ body, want string }{
		{"publish:\n  github:\n    repo: nope\n", `wrapup.yaml:3: publish.github.repo: "nope" is not owner/name`},
		{"publish:\n  github:\n    repo: a/b\n    formats: [pdf]\n", `wrapup.yaml:4: publish.github.formats[0]: "pdf" is not one of md, html`},
		{"publish:\n  github:\n    repo: a/b\n    dir: ../up\n", `wrapup.yaml:4: publish.github.dir:`},
		{"publish:\n  github:\n    repo: a/b\n    base: 'a..b'\n", `wrapup.yaml:4: publish.github.base:`},
		{"publish:\n  github:\n    repo: a/b\n    reviewer: [x]\n", `wrapup.yaml:4: publish.github.reviewer: unknown key`},
		{"publish:\n  gitlab: {}\n", `wrapup.yaml:2: publish.gitlab: unknown key`},
	} {
		if _, err := Load(write(t, tt.body), noEnv); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: err = %v, want %q", tt.body, err, tt.want)
		}
	}
}
