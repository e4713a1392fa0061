package preflight

import (
	"context"
	"encoding/base64"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/wrapup/wrapup/internal/config"
)

// Report is everything `wrapup check` found.
type Report struct {
	// Config is the file checked, or "(defaults)".
	Config string `json:"config"`
	// OK is false when any check failed.
	OK     bool    `json:"ok"`
	Checks []Check `json:"checks"`
	// Slack is auth.test's answer, when the token could be checked.
	Slack *SlackAccess `json:"slack,omitempty"`
}

// Options tune [Run].
type Options struct{}

// Run checks what cfg needs, with the tokens in the environment: Slack's
// scopes when the Slack token is set, the tracker when its credentials
// are. Checks it cannot make are reported as skipped, with the reason.
// The config itself is assumed valid: config.Load has checked it.
func Run(ctx context.Context, cfg *config.Config, getenv func(string) string, opts Options) *Report {
	name := cfg.Path
	if name == "" {
		name = "(defaults)"
	}
	r := &Report{Config: name}
	if cfg.Path == "" {
		r.add(ok("config", "no config file: the built-in defaults apply"))
	} else {
		r.add(ok("config", cfg.Path+" is valid"))
	}
	if len(cfg.Stripped) > 0 {
		r.add(failed("config.urls", "credentials in "+strings.Join(cfg.Stripped, ", ")+" were removed: wrapup never uses credentials from a URL, which would show them in every link",
			"take the user:password part out of the URL; credentials belong in the environment ("+cfg.Tracker.Jira.UserEnv+", "+cfg.Tracker.Jira.TokenEnv+", "+cfg.Tracker.GitHub.TokenEnv+", "+cfg.Slack.TokenEnv+")"))
	}

	var secrets []string
	slackEnv := cfg.Slack.TokenEnv
	var slack SlackConn
	if token := config.Secret(getenv, slackEnv); token == "" {
		r.add(skipped("slack.auth", fmt.Sprintf("%s is not set: the token and its scopes were not checked", slackEnv)))
	} else {
		secrets = append(secrets, token)
		slack = SlackConn{APIURL: cfg.Slack.APIURL, Token: token}
		slack.Client = slack.client() // one client for every Slack check
		r.slack(ctx, cfg, slack, slackEnv)
	}

	switch cfg.Tracker.Kind {
	case "jira":
		j := cfg.Tracker.Jira
		user, token := config.Secret(getenv, j.UserEnv), config.Secret(getenv, j.TokenEnv)
		var unset []string
		if token == "" {
			unset = append(unset, j.TokenEnv)
		}
		if user == "" && j.Deployment != "datacenter" {
			unset = append(unset, j.UserEnv)
		}
		if len(unset) > 0 {
			r.add(skipped("jira.site", strings.Join(unset, " and ")+" not set: Jira was not checked"))
			break
		}
		// Basic auth sends user:token in base64: mask that form too.
		secrets = append(secrets, token, base64.StdEncoding.EncodeToString([]byte(user+":"+token)))
		fills := slices.Sorted(maps.Keys(j.CustomFields))
		if j.Priority != "" {
			fills = append(fills, "priority")
		}
		if j.Parent != "" {
			fills = append(fills, "parent")
		}
		r.add(CheckJira(ctx, JiraConn{URL: j.URL, Deployment: j.Deployment, User: user, Token: token, Project: j.Project,
			IssueType: j.IssueType, Fills: fills, Users: j.Users,
			UserEnv: j.UserEnv, TokenEnv: j.TokenEnv})...)
	case "github":
		g := cfg.Tracker.GitHub
		token := config.Secret(getenv, g.TokenEnv)
		if token == "" {
			r.add(skipped("github.repo", g.TokenEnv+" is not set: GitHub was not checked"))
			break
		}
		secrets = append(secrets, token)
		r.add(CheckGitHub(ctx, GitHubConn{APIURL: g.APIURL, Repo: g.Repo, Token: token, TokenEnv: g.TokenEnv, Users: g.Users})...)
	default:
		r.add(skipped("tracker", "tracker.kind is none: no tracker to check"))
	}
	if p := cfg.Publish.GitHub; p.Repo != "" {
		if token := config.Secret(getenv, p.TokenEnv); token == "" {
			r.add(skipped("publish.repo", p.TokenEnv+" is not set: the publish repository was not checked"))
		} else {
			secrets = append(secrets, token)
			r.add(CheckPublish(ctx, PublishConn{APIURL: p.APIURL, Repo: p.Repo, Base: p.Base, Token: token, TokenEnv: p.TokenEnv})...)
		}
	}
	if cfg.Tracker.Kind == "jira" && cfg.Tracker.Jira.Deployment != "datacenter" && r.Slack != nil {
		r.add(checkUnmapped(ctx, slack.client(), cfg.Tracker.Jira.Users))
	}
	r.mask(secrets)
	return r
}

func (r *Report) add(cs ...Check) {
	r.Checks = append(r.Checks, cs...)
	r.OK = true
	for _, c := range r.Checks {
		if c.Status == Failed {
			r.OK = false
		}
	}
}

// slack adds the token check and one check per needed scope.
func (r *Report) slack(ctx context.Context, cfg *config.Config, conn SlackConn, env string) {
	needed := NeededScopes(cfg)
	a, err := CheckSlack(ctx, conn, needed)
	if err != nil {
		r.add(failed("slack.auth", err.Error(),
			fmt.Sprintf("set %s to the app's Bot User OAuth Token (xoxb-...), from its OAuth & Permissions page; check slack.api_url (or SLACK_API_URL)", env)))
		return
	}
	r.Slack = a
	r.add(ok("slack.auth", fmt.Sprintf("the token works: %s in %s (%s)", a.User, a.Team, a.URL)))
	for _, s := range needed {
		name := "slack.scope " + s
		if i := indexMissing(a.Missing, s); i >= 0 {
			r.add(failed(name, "missing: "+a.Missing[i].Breaks, ScopeFix))
		} else {
			r.add(ok(name, "granted"))
		}
	}
	if cfg.Close.AnnounceChannel != "" {
		r.add(checkAnnounce(ctx, conn.client(), cfg.Close.AnnounceChannel))
	}
}

func indexMissing(ms []Missing, scope string) int {
	for i, m := range ms {
		if m.Scope == scope {
			return i
		}
	}
	return -1
}

// mask replaces any secret a server may have echoed back in a message.
func (r *Report) mask(secrets []string) {
	for i := range r.Checks {
		for _, s := range secrets {
			if len(s) < 4 {
				continue // too short to tell from ordinary text
			}
			r.Checks[i].Detail = strings.ReplaceAll(r.Checks[i].Detail, s, "[redacted]")
			r.Checks[i].Fix = strings.ReplaceAll(r.Checks[i].Fix, s, "[redacted]")
		}
	}
}
