package preflight

import (
	"context"
	"fmt"
	"net/http"

	gh "github.com/google/go-github/v60/github"
)

// PublishConn says how to reach the docs repository of publish.github.
type PublishConn struct {
	// APIURL is GitHub Enterprise's URL (or an emulator's); empty means
	// github.com.
	APIURL string
	Repo   string // owner/name
	Base   string // the branch pull requests go against
	Token  string
	// TokenEnv names the variable the token came from, for the fixes.
	TokenEnv string
}

// The writes publishing makes, for an App installation token: branches
// through the Git data API (contents), and pull requests.
var (
	contentsWrite = appWrite{grant: "Contents", workflow: "contents", does: "push branches", breaks: "the postmortem can't be proposed",
		try: func(ctx context.Context, client *gh.Client, owner, name string) (*gh.Response, error) {
			// "refs/" alone is not a ref name: 422 for a token that may
			// write, and nothing is created.
			_, resp, err := client.Git.CreateRef(ctx, owner, name, &gh.Reference{Ref: gh.String("refs/"), Object: &gh.GitObject{}})
			return resp, err
		}}
	pullsWrite = appWrite{grant: "Pull requests", workflow: "pull-requests", does: "open pull requests", breaks: "the postmortem's pull request can't be opened",
		try: func(ctx context.Context, client *gh.Client, owner, name string) (*gh.Response, error) {
			// No title, head or base: 422 for a token that may write.
			_, resp, err := client.PullRequests.Create(ctx, owner, name, &gh.NewPullRequest{})
			return resp, err
		}}
)

// CheckPublish checks the docs repository of publish.github: that the
// token can read it (publish.repo), may push branches and open pull
// requests there (publish.push: push permission, or for a GitHub App
// installation token the installation's contents and pull_requests
// write), and that the base branch exists (publish.base).
func CheckPublish(ctx context.Context, conn PublishConn) []Check {
	tokenEnv := conn.TokenEnv
	if tokenEnv == "" {
		tokenEnv = "GITHUB_TOKEN"
	}
	at, bad := readRepo(ctx, repoTarget{check: "publish.repo", repoKey: "publish.github.repo", apiKey: "publish.github.api_url",
		apiURL: conn.APIURL, repo: conn.Repo, token: conn.Token, tokenEnv: tokenEnv})
	if bad != nil {
		return []Check{*bad, skipped("publish.push", "needs the repository"), skipped("publish.base", "needs the repository")}
	}
	full := at.repo.GetFullName()
	out := []Check{ok("publish.repo", fmt.Sprintf("repository %s exists", full))}
	push := at.repo.GetPermissions()["push"]
	var app Check
	isApp := false
	if !push {
		app, isApp = checkAppToken(ctx, at.client, at.owner, at.name, tokenEnv, "publish.push", contentsWrite, pullsWrite)
	}
	switch {
	case push:
		out = append(out, ok("publish.push", "the token may push: it can push the postmortem's branch and open its pull request"))
	case isApp:
		out = append(out, app)
	default:
		out = append(out, failed("publish.push",
			fmt.Sprintf("the token may not push to %s: the postmortem's branch can't be pushed nor its pull request opened", full),
			fmt.Sprintf("give %s write access to %s (classic token: repo scope, or public_repo for a public repository, and a collaborator with write; fine-grained: Contents and Pull requests read and write)", tokenEnv, full)))
	}
	out = append(out, checkBase(ctx, at, conn.Base))
	return out
}

// checkBase checks that the base branch exists: GET
// /repos/{owner}/{repo}/git/ref/heads/{base}, 404 when it does not.
func checkBase(ctx context.Context, at repoRead, base string) Check {
	full := at.repo.GetFullName()
	_, resp, err := at.client.Git.GetRef(ctx, at.owner, at.name, "heads/"+base)
	switch {
	case err == nil:
		return ok("publish.base", fmt.Sprintf("branch %s exists in %s", base, full))
	case resp != nil && resp.StatusCode == http.StatusNotFound:
		fix := "set publish.github.base to an existing branch"
		if d := at.repo.GetDefaultBranch(); d != "" {
			fix += fmt.Sprintf(" (the repository's default is %s)", d)
		}
		return failed("publish.base", fmt.Sprintf("%s has no branch %s: pull requests can't go against it", full, base), fix)
	default:
		return failed("publish.base", fmt.Sprintf("can't read branch %s of %s: %v", base, full, unwrapURL(err)), "")
	}
}
