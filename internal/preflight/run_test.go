package preflight_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/wrapup/wrapup/internal/config"
	"github.com/wrapup/wrapup/internal/preflight"
)

func TestRun(t *testing.T) {
	base := stack(t, slackTokens)
	// echo is a Jira that quotes the credential back in its error, as a
	// careless proxy might: the report must not repeat it.
	echo := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadGateway)
		fmt.Fprintf(w, `{"errorMessages":["upstream refused %s"],"errors":{}}`, r.Header.Get("Authorization"))
	}))
	tests := []struct {
		name   string
		edit   func(*config.Config)
		env    map[string]string
		ok     bool
		checks []string // "name status", in order
	}{
		{"no tokens", func(*config.Config) {}, nil, true,
			[]string{"config ok", "slack.auth skipped", "tracker skipped"}},
		{"jira without its token", func(c *config.Config) { c.Tracker.Kind, c.Tracker.Jira.URL = "jira", base }, nil, true,
			[]string{"config ok", "slack.auth skipped", "jira.site skipped"}},
		{"all good with jira", func(c *config.Config) { c.Tracker.Kind, c.Tracker.Jira.URL = "jira", base },
			map[string]string{"SLACK_TOKEN": "xoxb-all", "JIRA_USER": "bot@example.com", "JIRA_TOKEN": "s3cret-token"}, true,
			append(append([]string{"config ok", "slack.auth ok"}, scopeLines(13, "")...), "jira.site ok", "jira.project ok", "jira.create ok", "jira.issuetype ok", "jira.fields ok", "jira.screen ok", "jira.users ok", "jira.unmapped ok")},
		{"all good with github", func(c *config.Config) {
			c.Tracker.Kind, c.Tracker.GitHub.Repo, c.Tracker.GitHub.APIURL = "github", "octo/ops", base
		},
			map[string]string{"SLACK_TOKEN": "xoxb-all", "GITHUB_TOKEN": "s3cret-token"}, true,
			append(append([]string{"config ok", "slack.auth ok"}, scopeLines(12, "")...), "github.repo ok", "github.issues ok", "github.push ok")},
		{"publish repo", func(c *config.Config) {
			c.Tracker.Kind, c.Tracker.GitHub.Repo, c.Tracker.GitHub.APIURL = "github", "octo/ops", base
			c.Publish.GitHub.Repo, c.Publish.GitHub.Base, c.Publish.GitHub.APIURL = "acme/postmortems", "trunk", base
		},
			map[string]string{"GITHUB_TOKEN": "s3cret-token"}, false,
			[]string{"config ok", "slack.auth skipped", "github.repo ok", "github.issues ok", "github.push ok", "publish.repo ok", "publish.push ok", "publish.base failed"}},
		{"publish repo without its token", func(c *config.Config) {
			c.Publish.GitHub.Repo, c.Publish.GitHub.TokenEnv = "acme/postmortems", "DOCS_TOKEN"
		},
			map[string]string{"GITHUB_TOKEN": "s3cret-token"}, true,
			[]string{"config ok", "slack.auth skipped", "tracker skipped", "publish.repo skipped"}},
		{"missing scopes", func(*config.Config) {}, map[string]string{"SLACK_TOKEN": "xoxb-partial"}, false,
			append(append([]string{"config ok", "slack.auth ok"}, scopeLines(12, "channels:manage")...), "tracker skipped")},
		{"revoked", func(*config.Config) {}, map[string]string{"SLACK_TOKEN": "xoxb-revoked"}, false,
			[]string{"config ok", "slack.auth failed", "tracker skipped"}},
		{"token echoed", func(c *config.Config) { c.Tracker.Kind, c.Tracker.Jira.URL = "jira", echo },
			map[string]string{"JIRA_USER": "bot@example.com", "JIRA_TOKEN": "s3cret-token"}, false,
			[]string{"config ok", "slack.auth skipped", "jira.site failed", "jira.project skipped", "jira.create skipped"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config.Default()
			cfg.Slack.APIURL = base
			tt.edit(cfg)
			r := preflight.Run(context.Background(), cfg, func(k string) string { return tt.env[k] }, preflight.Options{})
			var got []string
			for _, c := range r.Checks {
				got = append(got, c.Name+" "+string(c.Status))
				for _, v := range tt.env {
					if strings.Contains(c.Detail+c.Fix, v) && strings.HasPrefix(v, "s3cret") {
						t.Errorf("%s shows a token: %+v", c.Name, c)
					}
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.checks, "\n") {
				t.Errorf("checks:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.checks, "\n"))
			}
			if tt.name == "token echoed" {
				d := r.Checks[2].Detail
				if !strings.Contains(d, "upstream refused Basic [redacted]") || strings.Contains(d, "Ym90QGV4") {
					t.Errorf("detail %q; want the credential masked", d)
				}
			}
			if r.OK != tt.ok {
				t.Errorf("OK = %v; want %v", r.OK, tt.ok)
			}
		})
	}
}

// scopeLines is the n scope checks of a report, in NeededScopes order,
// with the named scope failed.
func scopeLines(n int, failed string) []string {
	cfg := config.Default()
	if n == 13 {
		cfg.Tracker.Kind = "jira"
	}
	var out []string
	for _, s := range preflight.NeededScopes(cfg) {
		st := "ok"
		if s == failed {
			st = "failed"
		}
		out = append(out, "slack.scope "+s+" "+st)
	}
	return out
}
