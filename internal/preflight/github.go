package preflight

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	gh "github.com/google/go-github/v60/github"
	"github.com/wrapup/wrapup/trackers"
	ghtracker "github.com/wrapup/wrapup/trackers/github"
)

// GitHubConn says how to reach GitHub and which repository to check.
type GitHubConn struct {
	// APIURL is GitHub Enterprise's URL (or an emulator's); empty means
	// github.com.
	APIURL string
	Repo   string // owner/name
	Token  string
	// TokenEnv names the variable the token came from, for the fixes.
	TokenEnv string
	// Users is tracker.github.users: Slack handle -> GitHub login. When
	// set, each login is checked to be assignable in the repository.
	Users map[string]string
}

// CheckGitHub checks that the repository exists and the token can see it,
// that issues are enabled, and that the token may push: wrapup creates
// the incident's label and the configured labels, which needs write
// (push) access; triage would do for applying existing labels and setting
// assignees, but not for creating labels. A GitHub App installation token
// (GITHUB_TOKEN in Actions) is judged by what the installation may do,
// since its repository permissions never show push.
func CheckGitHub(ctx context.Context, conn GitHubConn) (out []Check) {
	tokenEnv := conn.TokenEnv
	if tokenEnv == "" {
		tokenEnv = "GITHUB_TOKEN"
	}
	later := []Check{skipped("github.issues", "needs the repository"), skipped("github.push", "needs the repository")}
	at, bad := readRepo(ctx, repoTarget{check: "github.repo", repoKey: "tracker.github.repo", apiKey: "tracker.github.api_url",
		apiURL: conn.APIURL, repo: conn.Repo, token: conn.Token, tokenEnv: tokenEnv})
	if bad != nil {
		return append([]Check{*bad}, later...)
	}
	client, owner, name, repo := at.client, at.owner, at.name, at.repo
	out = []Check{ok("github.repo", fmt.Sprintf("repository %s exists", repo.GetFullName()))}
	if repo.GetHasIssues() {
		out = append(out, ok("github.issues", "issues are enabled"))
	} else {
		out = append(out, failed("github.issues", fmt.Sprintf("issues are disabled on %s: action items can't be filed", repo.GetFullName()),
			"enable Issues in the repository's Settings -> General -> Features"))
	}
	if len(conn.Users) > 0 {
		// Last, whichever way the push check below returns.
		defer func() { out = append(out, checkGitHubUsers(ctx, client, owner, name, conn.Users)) }()
	}
	perms := repo.GetPermissions()
	if !perms["push"] {
		if c, isApp := checkAppToken(ctx, client, owner, name, tokenEnv, "github.push", issuesWrite); isApp {
			return append(out, c)
		}
	}
	switch {
	case perms["push"]:
		out = append(out, ok("github.push", "the token may push: it can create labels and set assignees"))
	case perms["triage"]:
		out = append(out, failed("github.push",
			"the token has triage but not push access: it can apply existing labels and set assignees, but can't create the incident's label",
			fmt.Sprintf("give %s write access to the repository (classic token: repo scope and a collaborator with write; fine-grained: Issues read and write)", tokenEnv)))
	default:
		out = append(out, failed("github.push",
			"the token may not push: without push (or at least triage) access GitHub drops labels and assignees silently, and wrapup can't create the incident's label",
			fmt.Sprintf("give %s write access to the repository (classic token: repo scope and a collaborator with write; fine-grained: Issues read and write)", tokenEnv)))
	}
	return out
}

// repoTarget is a repository to read, with the names its checks and
// fixes use.
type repoTarget struct {
	check           string // the check's name: "github.repo"
	repoKey, apiKey string // the config keys of the repository and API URL
	apiURL, repo    string
	token, tokenEnv string
}

// repoRead is a repository read, and the client that read it.
type repoRead struct {
	client      *gh.Client
	owner, name string // as configured
	repo        *gh.Repository
}

// readRepo reads the repository through the GitHub adapter's client (its
// URL handling and rate-limit transport); when it cannot, bad is the
// failed check saying why.
func readRepo(ctx context.Context, t repoTarget) (at repoRead, bad *Check) {
	fail := func(detail, fix string) (repoRead, *Check) {
		c := failed(t.check, detail, fix)
		return repoRead{}, &c
	}
	// The tracker's client, failing fast: one retry of a read where a run
	// makes four.
	tr, err := ghtracker.New(ghtracker.Config{APIURL: t.apiURL, Repo: t.repo, Token: t.token,
		RateLimit: &trackers.RateLimitTransport{MaxRetries: 1}})
	if err != nil {
		return fail(err.Error(), fmt.Sprintf("set %s to owner/name, and %s (or GITHUB_API_URL) to the GitHub Enterprise URL if there is one", t.repoKey, t.apiKey))
	}
	at.client = tr.API()
	at.owner, at.name = tr.Repo()
	var resp *gh.Response
	at.repo, resp, err = at.client.Repositories.Get(ctx, at.owner, at.name)
	if err == nil {
		return at, nil
	}
	status := 0
	if resp != nil {
		status = resp.StatusCode
	}
	var ghErr *gh.ErrorResponse
	switch {
	case status == http.StatusUnauthorized:
		return fail("GitHub refused the token (401 Bad credentials)",
			fmt.Sprintf("set %s to a valid token (it may have expired or been revoked)", t.tokenEnv))
	case status == http.StatusNotFound:
		return fail(fmt.Sprintf("repository %s does not exist, or the token can't see it (404)", t.repo),
			fmt.Sprintf("check %s; a fine-grained token must be granted this repository, a classic token needs the repo scope for a private one", t.repoKey))
	case errors.As(err, &ghErr):
		return fail(fmt.Sprintf("repository %s: %d %s", t.repo, status, ghErr.Message), "")
	default:
		return fail(fmt.Sprintf("GitHub is unreachable: %v", unwrapURL(err)),
			fmt.Sprintf("check %s (or GITHUB_API_URL) and that this machine can reach it", t.apiKey))
	}
}

// checkGitHubUsers asks, for each login of tracker.github.users, whether
// it can be assigned in the repository (GET
// /repos/{owner}/{repo}/assignees/{login}: 204 or 404).
func checkGitHubUsers(ctx context.Context, client *gh.Client, owner, name string, users map[string]string) Check {
	var bad []string
	for _, handle := range slices.Sorted(maps.Keys(users)) {
		login := users[handle]
		yes, _, err := client.Issues.IsAssignee(ctx, owner, name, login)
		if err != nil {
			return failed("github.users", fmt.Sprintf("can't ask whether %s can be assigned in %s/%s: %v", login, owner, name, unwrapURL(err)), "")
		}
		if !yes {
			bad = append(bad, fmt.Sprintf("@%s (%s)", handle, login))
		}
	}
	if len(bad) > 0 {
		return failed("github.users", fmt.Sprintf("%d of %d people in tracker.github.users can't be assigned in %s/%s: %s; their items will be filed unassigned",
			len(bad), len(users), owner, name, strings.Join(bad, ", ")),
			"check the logins in tracker.github.users; a person must have at least triage access to the repository (or be an org member with read access) to be assigned")
	}
	return ok("github.users", fmt.Sprintf("all %d people in tracker.github.users can be assigned in %s/%s", len(users), owner, name))
}
