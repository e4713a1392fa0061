package preflight_test

import (
	"context"
	"testing"

	"github.com/wrapup/wrapup/internal/preflight"
	"github.com/wrapup/wrapup/trackers/githubtest"
)

// TestCheckPublish: the docs repository of publish.github is readable,
// the token may push branches and open pull requests there, and the base
// branch exists; against githubtest, whose repositories start with a
// main branch.
func TestCheckPublish(t *testing.T) {
	t.Parallel() // the unreachable case waits out the retries a run would make
	srv := githubtest.New(githubtest.Options{Token: "s3cret-token", ReadOnlyToken: "r3ader-token",
		RepoSetup: []githubtest.Repo{{Name: "acme/postmortems", Push: true}, {Name: "acme/readonly"}},
		AppTokens: map[string]githubtest.AppToken{
			"ghs_docs":     {Repos: []string{"acme/postmortems"}, ContentsWrite: true, PullRequestsWrite: true},
			"ghs_contents": {Repos: []string{"acme/postmortems"}, ContentsWrite: true},
			"ghs_issues":   {Repos: []string{"acme/postmortems"}, IssuesWrite: true},
			"ghs_other":    {Repos: []string{"acme/readonly"}, ContentsWrite: true, PullRequestsWrite: true},
		}})
	gh := serve(t, srv)
	tests := []struct {
		name string
		conn preflight.PublishConn
		want []outcome
	}{
		{"write token", preflight.PublishConn{APIURL: gh, Repo: "acme/postmortems", Base: "main", Token: "s3cret-token"}, []outcome{
			{"publish.repo", preflight.OK, "acme/postmortems exists"}, {"publish.push", preflight.OK, "may push"}, {"publish.base", preflight.OK, "main exists"}}},
		{"no such base", preflight.PublishConn{APIURL: gh, Repo: "acme/postmortems", Base: "trunk", Token: "s3cret-token"}, []outcome{
			{"publish.repo", preflight.OK, ""}, {"publish.push", preflight.OK, ""}, {"publish.base", preflight.Failed, "has no branch trunk"}}},
		{"read-only token", preflight.PublishConn{APIURL: gh, Repo: "acme/postmortems", Base: "main", Token: "r3ader-token"}, []outcome{
			{"publish.repo", preflight.OK, ""}, {"publish.push", preflight.Failed, "may not push"}, {"publish.base", preflight.OK, ""}}},
		{"no push in the repository", preflight.PublishConn{APIURL: gh, Repo: "acme/readonly", Base: "main", Token: "s3cret-token"}, []outcome{
			{"publish.repo", preflight.OK, ""}, {"publish.push", preflight.Failed, "may not push to acme/readonly"}, {"publish.base", preflight.OK, ""}}},
		{"no such repo", preflight.PublishConn{APIURL: gh, Repo: "acme/nope", Base: "main", Token: "s3cret-token"}, []outcome{
			{"publish.repo", preflight.Failed, "does not exist"}, {"publish.push", preflight.Skipped, ""}, {"publish.base", preflight.Skipped, ""}}},
		{"bad token", preflight.PublishConn{APIURL: gh, Repo: "acme/postmortems", Base: "main", Token: "wrong-token"}, []outcome{
			{"publish.repo", preflight.Failed, "401"}, {"publish.push", preflight.Skipped, ""}, {"publish.base", preflight.Skipped, ""}}},
		{"app: contents and pull requests", preflight.PublishConn{APIURL: gh, Repo: "acme/postmortems", Base: "main", Token: "ghs_docs"}, []outcome{
			{"publish.repo", preflight.OK, ""}, {"publish.push", preflight.OK, "may push branches and open pull requests"}, {"publish.base", preflight.OK, ""}}},
		{"app: contents only", preflight.PublishConn{APIURL: gh, Repo: "acme/postmortems", Base: "main", Token: "ghs_contents"}, []outcome{
			{"publish.repo", preflight.OK, ""}, {"publish.push", preflight.Failed, "may not open pull requests"}, {"publish.base", preflight.OK, ""}}},
		{"app: issues only", preflight.PublishConn{APIURL: gh, Repo: "acme/postmortems", Base: "main", Token: "ghs_issues"}, []outcome{
			{"publish.repo", preflight.OK, ""}, {"publish.push", preflight.Failed, "may not push branches"}, {"publish.base", preflight.OK, ""}}},
		{"unreachable", preflight.PublishConn{APIURL: "http://127.0.0.1:1", Repo: "acme/postmortems", Base: "main", Token: "s3cret-token"}, []outcome{
			{"publish.repo", preflight.Failed, "unreachable"}, {"publish.push", preflight.Skipped, ""}, {"publish.base", preflight.Skipped, ""}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := preflight.CheckPublish(context.Background(), tt.conn)
			compare(t, tt.want, got)
			if tt.conn.Token == "ghs_contents" && got[1].Fix != "grant the App installation behind GITHUB_TOKEN Contents: read and write and Pull requests: read and write on acme/postmortems (in a GitHub Actions workflow: permissions: {contents: write, pull-requests: write})" {
				t.Errorf("fix: %q", got[1].Fix)
			}
		})
	}
	// The probes made nothing: no branch but main, no pull request.
	for _, name := range []string{"acme/postmortems", "acme/readonly"} {
		if p, b := srv.Pulls(name), srv.Branches(name); len(p) > 0 || len(b) > 1 {
			t.Errorf("%s: pull requests %+v, branches %v", name, p, b)
		}
	}
}
