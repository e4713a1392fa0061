package preflight_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrapup/wrapup/internal/preflight"
	"github.com/wrapup/wrapup/trackers/githubtest"
	"github.com/wrapup/wrapup/trackers/jiratest"
)

// outcome is a check's name, status and a word its detail must hold.
type outcome struct {
	name   string
	status preflight.Status
	says   string
}

func compare(t *testing.T, want []outcome, got []preflight.Check) {
	t.Helper()
	var names, wantNames []string
	for _, c := range got {
		names = append(names, c.Name+" "+string(c.Status))
	}
	for _, w := range want {
		wantNames = append(wantNames, w.name+" "+string(w.status))
	}
	if diff := cmp.Diff(wantNames, names); diff != "" {
		t.Fatalf("checks (-want +got):\n%s\n%+v", diff, got)
	}
	for i, w := range want {
		if !strings.Contains(got[i].Detail, w.says) {
			t.Errorf("%s: detail %q lacks %q", w.name, got[i].Detail, w.says)
		}
		if got[i].Status == preflight.Failed && got[i].Fix == "" && w.says != "answered" {
			t.Errorf("%s failed without a fix", w.name)
		}
		for _, secret := range []string{"s3cret-token", "r3ader-token"} {
			if strings.Contains(got[i].Detail+got[i].Fix, secret) {
				t.Errorf("%s shows a token: %+v", w.name, got[i])
			}
		}
	}
}

func TestCheckJira(t *testing.T) {
	users := []jiratest.User{{AccountID: "5b10ac8d82e05b22cc7d4ef5", Email: "bot@example.com", DisplayName: "Wrapup Bot"}}
	cloud := serve(t, jiratest.New(jiratest.Options{Token: "s3cret-token", ReadOnlyToken: "r3ader-token", Users: users, Projects: []string{"OPS"}}))
	dc := serve(t, jiratest.New(jiratest.Options{Deployment: jiratest.DataCenter, Token: "s3cret-token", Projects: []string{"OPS"}}))
	tests := []struct {
		name string
		conn preflight.JiraConn
		want []outcome
	}{
		{"cloud may create", preflight.JiraConn{URL: cloud, User: "bot@example.com", Token: "s3cret-token", Project: "OPS"}, []outcome{
			{"jira.site", preflight.OK, "Wrapup Bot (bot@example.com)"}, {"jira.project", preflight.OK, "OPS"}, {"jira.create", preflight.OK, "may create"}}},
		{"cloud may not create", preflight.JiraConn{URL: cloud, User: "bot@example.com", Token: "r3ader-token", Project: "OPS"}, []outcome{
			{"jira.site", preflight.OK, "signed in"}, {"jira.project", preflight.OK, "exists"}, {"jira.create", preflight.Failed, "may not create issues in OPS"}}},
		{"cloud no such project", preflight.JiraConn{URL: cloud, User: "bot@example.com", Token: "s3cret-token", Project: "NOPE"}, []outcome{
			{"jira.site", preflight.OK, ""}, {"jira.project", preflight.Failed, "NOPE does not exist"}, {"jira.create", preflight.Skipped, "needs the project"}}},
		{"cloud bad token", preflight.JiraConn{URL: cloud, User: "bot@example.com", Token: "wrong-token", Project: "OPS", UserEnv: "JIRA_USER", TokenEnv: "JIRA_TOKEN"}, []outcome{
			{"jira.site", preflight.Failed, "refused the credentials (401)"}, {"jira.project", preflight.Skipped, ""}, {"jira.create", preflight.Skipped, ""}}},
		{"datacenter PAT", preflight.JiraConn{URL: dc + "/", Deployment: "datacenter", Token: "s3cret-token", Project: "ops"}, []outcome{
			{"jira.site", preflight.OK, "signed in"}, {"jira.project", preflight.OK, "OPS"}, {"jira.create", preflight.OK, ""}}},
		{"unreachable", preflight.JiraConn{URL: "http://127.0.0.1:1", User: "u", Token: "s3cret-token", Project: "OPS"}, []outcome{
			{"jira.site", preflight.Failed, "unreachable"}, {"jira.project", preflight.Skipped, ""}, {"jira.create", preflight.Skipped, ""}}},
		{"not a URL", preflight.JiraConn{URL: "example.atlassian.net", User: "u", Token: "s3cret-token", Project: "OPS"}, []outcome{
			{"jira.site", preflight.Failed, "want an http(s) URL"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			compare(t, tt.want, preflight.CheckJira(context.Background(), tt.conn))
		})
	}
}

func TestCheckGitHub(t *testing.T) {
	gh := serve(t, githubtest.New(githubtest.Options{Token: "s3cret-token", ReadOnlyToken: "r3ader-token", Repos: []string{"octo/ops"}}))
	noIssues := serve(t, githubtest.New(githubtest.Options{IssuesDisabled: true, Repos: []string{"octo/ops"}}))
	tests := []struct {
		name string
		conn preflight.GitHubConn
		want []outcome
	}{
		{"write token", preflight.GitHubConn{APIURL: gh, Repo: "octo/ops", Token: "s3cret-token"}, []outcome{
			{"github.repo", preflight.OK, "octo/ops exists"}, {"github.issues", preflight.OK, "enabled"}, {"github.push", preflight.OK, "may push"}}},
		{"read-only token", preflight.GitHubConn{APIURL: gh, Repo: "octo/ops", Token: "r3ader-token"}, []outcome{
			{"github.repo", preflight.OK, ""}, {"github.issues", preflight.OK, ""}, {"github.push", preflight.Failed, "labels and assignees"}}},
		{"issues disabled", preflight.GitHubConn{APIURL: noIssues, Repo: "octo/ops", Token: "s3cret-token"}, []outcome{
			{"github.repo", preflight.OK, ""}, {"github.issues", preflight.Failed, "disabled"}, {"github.push", preflight.OK, ""}}},
		{"no such repo", preflight.GitHubConn{APIURL: gh, Repo: "octo/nope", Token: "s3cret-token"}, []outcome{
			{"github.repo", preflight.Failed, "does not exist"}, {"github.issues", preflight.Skipped, ""}, {"github.push", preflight.Skipped, ""}}},
		{"bad token", preflight.GitHubConn{APIURL: gh, Repo: "octo/ops", Token: "wrong-token"}, []outcome{
			{"github.repo", preflight.Failed, "401"}, {"github.issues", preflight.Skipped, ""}, {"github.push", preflight.Skipped, ""}}},
		{"unreachable", preflight.GitHubConn{APIURL: "http://127.0.0.1:1", Repo: "octo/ops", Token: "s3cret-token"}, []outcome{
			{"github.repo", preflight.Failed, "unreachable"}, {"github.issues", preflight.Skipped, ""}, {"github.push", preflight.Skipped, ""}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			compare(t, tt.want, preflight.CheckGitHub(context.Background(), tt.conn))
		})
	}
}

// TestCheckGitHubAppToken: an App installation token (GITHUB_TOKEN in
// Actions) shows push false in the repository's permissions whatever it
// may do (githubtest's TestAppTokens); check judges it by the
// installation instead.
func TestCheckGitHubAppToken(t *testing.T) {
	gh := serve(t, githubtest.New(githubtest.Options{Token: "s3cret-token", Repos: []string{"octo/ops", "octo/other"}, AppTokens: map[string]githubtest.AppToken{
		"ghs_writer":    {Repos: []string{"octo/ops", "octo/other"}, IssuesWrite: true},
		"ghs_reader":    {Repos: []string{"octo/ops"}},
		"ghs_elsewhere": {Repos: []string{"octo/other"}},
	}}))
	tests := []struct {
		name, token, repo string
		want              []outcome
	}{
		{"issues write", "ghs_writer", "octo/ops", []outcome{{"github.repo", preflight.OK, ""}, {"github.issues", preflight.OK, ""}, {"github.push", preflight.OK, "may write issues"}}},
		{"issues read", "ghs_reader", "octo/ops", []outcome{{"github.repo", preflight.OK, ""}, {"github.issues", preflight.OK, ""}, {"github.push", preflight.Failed, "may not write issues"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			compare(t, tt.want, preflight.CheckGitHub(context.Background(), preflight.GitHubConn{APIURL: gh, Repo: tt.repo, Token: tt.token}))
		})
	}
	// A repository outside the installation is invisible to the token.
	got := preflight.CheckGitHub(context.Background(), preflight.GitHubConn{APIURL: gh, Repo: "octo/ops", Token: "ghs_elsewhere"})
	if got[0].Status != preflight.Failed {
		t.Errorf("%+v", got)
	}
}

// TestCheckGitHubUsers: the logins of tracker.github.users are asked
// whether they can be assigned (githubtest's TestCheckAssignee).
func TestCheckGitHubUsers(t *testing.T) {
	gh := serve(t, githubtest.New(githubtest.Options{RepoSetup: []githubtest.Repo{{Name: "acme/incidents", Push: true, Assignable: []string{"alice-gh"}}}}))
	got := preflight.CheckGitHub(context.Background(), preflight.GitHubConn{APIURL: gh, Repo: "acme/incidents", Token: "t",
		Users: map[string]string{"alice": "alice-gh", "mallory": "mallory-gh"}})
	compare(t, []outcome{{"github.repo", preflight.OK, ""}, {"github.issues", preflight.OK, ""}, {"github.push", preflight.OK, ""},
		{"github.users", preflight.Failed, "1 of 2 people in tracker.github.users can't be assigned in acme/incidents: @mallory (mallory-gh)"}}, got)
}
