package preflight

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	gh "github.com/google/go-github/v60/github"
)

// checkAppToken judges a GitHub App installation token, such as
// GITHUB_TOKEN in Actions, whose GET /repos permissions say push false
// whatever it may do (flathub-infra/flatpak-external-data-checker #223,
// lindell/multi-gitter #334). Only installation tokens may call GET
// /installation/repositories, so it answering tells one apart; the
// repository must be among those listed. Whether the installation may
// write issues and labels is then asked by a create that cannot succeed:
// POST /repos/{owner}/{repo}/labels with no name is a 422 for a token
// that may write, a 403 for one that may not, and makes nothing either
// way. isApp is false for any other token.
func checkAppToken(ctx context.Context, client *gh.Client, owner, name, tokenEnv string) (c Check, isApp bool) {
	full := owner + "/" + name
	reaches := false
	opts := &gh.ListOptions{PerPage: 100}
	for {
		list, resp, err := client.Apps.ListRepos(ctx, opts)
		if err != nil {
			return Check{}, false
		}
		for _, r := range list.Repositories {
			reaches = reaches || strings.EqualFold(r.GetFullName(), full)
		}
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	fix := fmt.Sprintf("grant the App installation behind %s Issues: read and write on %s (in a GitHub Actions workflow: permissions: {issues: write})", tokenEnv, full)
	if !reaches {
		return failed("github.push", fmt.Sprintf("%s is a GitHub App installation token whose installation does not include %s", tokenEnv, full),
			"add the repository to the App's installation, or use a token of an installation that has it"), true
	}
	_, resp, err := client.Issues.CreateLabel(ctx, owner, name, &gh.Label{})
	status := 0
	if resp != nil {
		status = resp.StatusCode
	}
	var er *gh.ErrorResponse
	switch {
	case status == http.StatusUnprocessableEntity:
		return ok("github.push", fmt.Sprintf("an App installation token: the installation reaches %s and may write issues and labels", full)), true
	case status == http.StatusForbidden:
		return failed("github.push", fmt.Sprintf("an App installation token that may not write issues in %s: action items can't be filed", full), fix), true
	case errors.As(err, &er):
		return failed("github.push", fmt.Sprintf("an App installation token; asking whether it may write issues in %s got %d %s", full, status, er.Message), fix), true
	default:
		return failed("github.push", fmt.Sprintf("an App installation token; asking whether it may write issues in %s failed: %v", full, unwrapURL(err)), fix), true
	}
}
