package jira_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/wrapup/wrapup/internal/emulator"
	"github.com/wrapup/wrapup/trackers"
	ghtracker "github.com/wrapup/wrapup/trackers/github"
	"github.com/wrapup/wrapup/trackers/githubtest"
	"github.com/wrapup/wrapup/trackers/jira"
	"github.com/wrapup/wrapup/trackers/jiratest"
)

// TestSharedMux mounts both emulators as wrapup-emulator will: Jira under
// /rest/, GitHub under /api/v3/, one admin for both.
func TestSharedMux(t *testing.T) {
	admin := emulator.New()
	mux := http.NewServeMux()
	mux.Handle("/rest/", jiratest.New(jiratest.Options{Admin: admin}))
	mux.Handle("/api/v3/", githubtest.New(githubtest.Options{Admin: admin}))
	mux.Handle("/_emulator/", admin)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	ctx := context.Background()

	jt, err := jira.New(jira.Config{URL: srv.URL, User: "bot@example.com", Token: "t", Project: "OPS", IssueType: "Task"})
	if err != nil {
		t.Fatal(err)
	}
	gt, err := ghtracker.New(ghtracker.Config{APIURL: srv.URL, Repo: "octo/ops", Token: "t", Channel: "incident-x", WriteSpacing: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []trackers.Service{jt, gt} {
		if _, err := (&trackers.Filer{Service: s}).File(ctx, items(2)); err != nil {
			t.Fatalf("%T: %v", s, err)
		}
	}
	state := admin.State()
	for _, svc := range []string{"jira", "github"} {
		section, _ := state[svc].(map[string]any)
		if n := lenOf(section["issues"]); n != 2 {
			t.Errorf("%s state holds %d issues; want 2", svc, n)
		}
	}
	if c := admin.Stats().Calls["jira POST /rest/api/2/issue"]; c != 2 {
		t.Errorf("stats count %d Jira creates; want 2", c)
	}
	if c := admin.Stats().Calls["github POST /repos/octo/ops/issues"]; c != 2 {
		t.Errorf("stats count %d GitHub creates; want 2", c)
	}
}

func lenOf(v any) int {
	switch v := v.(type) {
	case []jiratest.StateIssue:
		return len(v)
	case []githubtest.StateIssue:
		return len(v)
	}
	return -1
}
