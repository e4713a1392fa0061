package main

import (
	"context"
	"testing"
	"time"

	"github.com/wrapup/wrapup/timeline"
	ghtracker "github.com/wrapup/wrapup/trackers/github"
	"github.com/wrapup/wrapup/trackers/jira"
)

// TestEmulatorWorldTrackers: --world lets a team name its own Jira project
// and GitHub repo (issue 11); they replace the defaults, and wrapup's
// trackers file there through go-jira and go-github.
func TestEmulatorWorldTrackers(t *testing.T) {
	world := writeWorld(t, `
jira:
  projects:
    - {key: PAY, issue_types: [Task]}
github:
  repos:
    - {name: payments/incidents}
`)
	base := startEmulator(t, "--world", world)
	ctx := context.Background()
	it := timeline.ActionItem{Key: "k1", Summary: "add an alert"}
	for _, tc := range []struct {
		project string
		ok      bool
	}{{"PAY", true}, {"OPS", false}} {
		tr, err := jira.New(jira.Config{URL: base, User: "me@example.com", Token: "t", Project: tc.project, IssueType: "Task"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tr.File(ctx, it); (err == nil) != tc.ok {
			t.Errorf("jira %s: %v; want filed %v", tc.project, err, tc.ok)
		}
	}
	for _, tc := range []struct {
		repo string
		ok   bool
	}{{"payments/incidents", true}, {"acme/incidents", false}} {
		tr, err := ghtracker.New(ghtracker.Config{APIURL: base, Repo: tc.repo, Token: "t", Channel: "incident-x", WriteSpacing: time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tr.File(ctx, it); (err == nil) != tc.ok {
			t.Errorf("github %s: %v; want filed %v", tc.repo, err, tc.ok)
		}
	}
}
