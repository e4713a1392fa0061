// Package wire builds what a command needs from the config and the
// environment: the tracker for each incident, with its secrets. cmd/wrapup
// wires its commands with it, and the pipeline's tests theirs.
package wire

import (
	"fmt"
	"time"

	"github.com/wrapup/wrapup/internal/config"
	"github.com/wrapup/wrapup/trackers"
	ghtracker "github.com/wrapup/wrapup/trackers/github"
	"github.com/wrapup/wrapup/trackers/jira"
)

// Tracker is the tracker factory (pipeline.TrackerFactory) for the
// config's tracker, with its
// secrets from the environment. kind overrides tracker.kind when set.
// githubSpacing, when positive, replaces GitHub's 1 s between writes (tests).
func Tracker(cfg *config.Config, getenv func(string) string, kind string, githubSpacing time.Duration) func(channel, postmortemURL string) (trackers.Service, int, error) {
	if kind == "" {
		kind = cfg.Tracker.Kind
	}
	// One gate for every channel this factory serves: a sweep's GitHub
	// writes go one at a time across channels, as GitHub asks per token.
	gate := new(ghtracker.WriteGate)
	return func(channel, postmortemURL string) (trackers.Service, int, error) {
		switch kind {
		case "none":
			return nil, 0, nil
		case "jira":
			j := cfg.Tracker.Jira
			token := config.Secret(getenv, j.TokenEnv)
			if token == "" {
				return nil, 0, fmt.Errorf("tracker.kind is jira but $%s is empty", j.TokenEnv)
			}
			deployment := jira.Cloud
			if j.Deployment == "datacenter" {
				deployment = jira.DataCenter
			}
			t, err := jira.New(jira.Config{URL: j.URL, Deployment: deployment, User: config.Secret(getenv, j.UserEnv),
				Token: token, Project: j.Project, IssueType: j.IssueType, Labels: j.Labels, Users: j.Users, Priority: j.Priority,
				Parent: j.Parent, CustomFields: j.CustomFields, PostmortemURL: postmortemURL, Channel: channel})
			return t, jira.Concurrency, err
		case "github":
			g := cfg.Tracker.GitHub
			token := config.Secret(getenv, g.TokenEnv)
			if token == "" {
				return nil, 0, fmt.Errorf("tracker.kind is github but $%s is empty", g.TokenEnv)
			}
			t, err := ghtracker.New(ghtracker.Config{APIURL: g.APIURL, Repo: g.Repo, Token: token, Labels: g.Labels,
				Users: g.Users, Channel: channel, PostmortemURL: postmortemURL, WriteSpacing: githubSpacing, Gate: gate})
			return t, 1, err
		}
		return nil, 0, fmt.Errorf("unknown tracker kind %q (want none, jira or github)", kind)
	}
}
