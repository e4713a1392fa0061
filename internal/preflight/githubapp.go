package preflight

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	gh "github.com/google/go-github/v60/github"
)

// appWrite is one kind of write a GitHub App installation must be
// granted, and how to ask for it without making anything.
type appWrite struct {
	grant    string // as the App's settings name it: "Issues"
	workflow string // as a workflow's permissions name it: "issues"
	does     string // what it lets wrapup do: "write issues and labels"
	breaks   string // what fails without it
	// try makes a write that cannot succeed: GitHub answers 422 when the
	// token may write, 403 when it may not.
	try func(ctx context.Context, client *gh.Client, owner, name string) (*gh.Response, error)
}

// issuesWrite is what the tracker needs: POST /repos/{owner}/{repo}/labels
// with no name.
var issuesWrite = appWrite{grant: "Issues", workflow: "issues", does: "write issues and labels", breaks: "action items can't be filed",
	try: func(ctx context.Context, client *gh.Client, owner, name string) (*gh.Response, error) {
		_, resp, err := client.Issues.CreateLabel(ctx, owner, name, &gh.Label{})
		return resp, err
	}}

// checkAppToken judges a GitHub App installation token, such as
// GITHUB_TOKEN in Actions, whose GET /repos permissions say push false
// whatever it may do (flathub-infra/flatpak-external-data-checker #223,
// lindell/multi-gitter #334). Only installation tokens may call GET
// /installation/repositories, so it answering tells one apart; the
// repository must be among those listed. Whether the installation may
// make each of writes is then asked by a create that cannot succeed (see
// appWrite.try). The check is named check; isApp is false for any other
// token.
func checkAppToken(ctx context.Context, client *gh.Client, owner, name, tokenEnv, check string, writes ...appWrite) (c Check, isApp bool) {
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
	var grants, workflow, does []string
	for _, w := range writes {
		grants = append(grants, w.grant+": read and write")
		workflow = append(workflow, w.workflow+": write")
		does = append(does, w.does)
	}
	fix := fmt.Sprintf("grant the App installation behind %s %s on %s (in a GitHub Actions workflow: permissions: {%s})",
		tokenEnv, strings.Join(grants, " and "), full, strings.Join(workflow, ", "))
	if !reaches {
		return failed(check, fmt.Sprintf("%s is a GitHub App installation token whose installation does not include %s", tokenEnv, full),
			"add the repository to the App's installation, or use a token of an installation that has it"), true
	}
	for _, w := range writes {
		resp, err := w.try(ctx, client, owner, name)
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		var er *gh.ErrorResponse
		switch {
		case status == http.StatusUnprocessableEntity:
			continue
		case status == http.StatusForbidden:
			return failed(check, fmt.Sprintf("an App installation token that may not %s in %s: %s", w.does, full, w.breaks), fix), true
		case errors.As(err, &er):
			return failed(check, fmt.Sprintf("an App installation token; asking whether it may %s in %s got %d %s", w.does, full, status, er.Message), fix), true
		default:
			return failed(check, fmt.Sprintf("an App installation token; asking whether it may %s in %s failed: %v", w.does, full, unwrapURL(err)), fix), true
		}
	}
	return ok(check, fmt.Sprintf("an App installation token: the installation reaches %s and may %s", full, strings.Join(does, " and "))), true
}
