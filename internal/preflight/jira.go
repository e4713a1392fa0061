package preflight

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	gojira "github.com/andygrunwald/go-jira"
	"github.com/wrapup/wrapup/trackers"
	"github.com/wrapup/wrapup/trackers/jira"
)

// JiraConn says how to reach a Jira site and which project to check.
type JiraConn struct {
	URL        string // the site, e.g. https://example.atlassian.net
	Deployment string // "cloud" (default) or "datacenter"
	User       string // Cloud: the account's e-mail
	Token      string // Cloud: API token; Data Center: personal access token
	Project    string
	// IssueType is the type wrapup creates; empty skips the create
	// metadata checks.
	IssueType string
	// Fills are the fields wrapup sets besides project, issue type,
	// summary, description and labels: priority, parent, custom fields.
	Fills []string
	// Users is tracker.jira.users: Slack handle -> accountId or username.
	Users map[string]string
	// UserEnv and TokenEnv name the variables the credentials came from,
	// for the fixes the report suggests.
	UserEnv, TokenEnv string
}

// CheckJira checks, in order, that the site answers and accepts the
// credentials (GET /rest/api/2/myself), that the project exists (GET
// /rest/api/2/project/{key}) and that the user may create issues in it
// (GET /rest/api/2/mypermissions, CREATE_ISSUES); then, when
// conn.IssueType is set, the project's create setup and the people of
// tracker.jira.users (see checkJiraSetup). A check that cannot run
// because an earlier one failed is skipped.
func CheckJira(ctx context.Context, conn JiraConn) []Check {
	client, err := jiraClient(conn)
	if err != nil {
		return []Check{failed("jira.site", err.Error(), "set tracker.jira.url (or JIRA_URL) to the site's address, e.g. https://example.atlassian.net")}
	}
	var me struct {
		AccountID   string `json:"accountId"`
		Name        string `json:"name"`
		Email       string `json:"emailAddress"`
		DisplayName string `json:"displayName"`
	}
	if status, err := jiraGet(ctx, client, "rest/api/2/myself", &me); err != nil {
		return []Check{jiraSiteFailure(conn, status, err),
			skipped("jira.project", "needs a reachable site and working credentials"),
			skipped("jira.create", "needs a reachable site and working credentials")}
	}
	who := me.DisplayName
	if id := firstNonEmpty(me.Email, me.Name, me.AccountID); id != "" && id != who {
		who += " (" + id + ")"
	}
	out := []Check{ok("jira.site", fmt.Sprintf("%s answers; signed in as %s", conn.URL, who))}

	var project struct {
		Key, Name string
	}
	status, err := jiraGet(ctx, client, "rest/api/2/project/"+url.PathEscape(conn.Project), &project)
	switch {
	case status == http.StatusNotFound:
		return append(out,
			failed("jira.project", fmt.Sprintf("project %s does not exist, or %s can't browse it", conn.Project, who),
				"set tracker.jira.project to the project's key (not its name), or have a Jira admin grant Browse Projects"),
			skipped("jira.create", "needs the project"))
	case err != nil:
		return append(out, failed("jira.project", fmt.Sprintf("project %s: %v", conn.Project, err), ""),
			skipped("jira.create", "needs the project"))
	}
	out = append(out, ok("jira.project", fmt.Sprintf("project %s (%s) exists", project.Key, project.Name)))

	var perms struct {
		Permissions map[string]struct {
			HavePermission bool `json:"havePermission"`
		} `json:"permissions"`
	}
	q := url.Values{"projectKey": {project.Key}, "permissions": {"CREATE_ISSUES"}}
	if _, err := jiraGet(ctx, client, "rest/api/2/mypermissions?"+q.Encode(), &perms); err != nil {
		return append(out, failed("jira.create", fmt.Sprintf("can't read %s's permissions in %s: %v", who, project.Key, err), ""))
	}
	p, found := perms.Permissions["CREATE_ISSUES"]
	switch {
	case !found:
		out = append(out, failed("jira.create", "Jira did not say whether issues may be created in "+project.Key, ""))
	case !p.HavePermission:
		out = append(out, failed("jira.create",
			fmt.Sprintf("%s may not create issues in %s: action items can't be filed", who, project.Key),
			"have a Jira admin grant the Create Issues permission in the project's permission scheme (or give the user a role that has it)"))
	default:
		out = append(out, ok("jira.create", fmt.Sprintf("%s may create issues in %s", who, project.Key)))
		if conn.IssueType != "" {
			conn.Project = project.Key
			out = append(out, checkJiraSetup(ctx, client, conn)...)
		}
	}
	return out
}

// jiraClient is the go-jira client of the tracker adapter that files
// the items, so that check reaches Jira as a run does, but failing fast:
// one retry of a read where a run makes four.
func jiraClient(conn JiraConn) (*gojira.Client, error) {
	deployment := jira.Cloud
	if conn.Deployment == "datacenter" {
		deployment = jira.DataCenter
	}
	t, err := jira.New(jira.Config{URL: conn.URL, Deployment: deployment, User: conn.User, Token: conn.Token,
		Project: conn.Project, IssueType: conn.IssueType, RateLimit: &trackers.RateLimitTransport{MaxRetries: 1}})
	if err != nil {
		return nil, err
	}
	return t.API(), nil
}

// jiraGet GETs path into v through go-jira, returning the status (0 when
// there was no answer) and an error carrying Jira's own message.
func jiraGet(ctx context.Context, client *gojira.Client, path string, v any) (int, error) {
	req, err := client.NewRequestWithContext(ctx, http.MethodGet, path, nil)
	if err != nil {
		return 0, err
	}
	resp, err := client.Do(req, v)
	if err == nil {
		return resp.StatusCode, nil
	}
	if resp == nil {
		return 0, err
	}
	return resp.StatusCode, gojira.NewJiraError(resp, err)
}

// jiraSiteFailure explains why /myself failed.
func jiraSiteFailure(conn JiraConn, status int, err error) Check {
	creds := "JIRA_USER must be the account's e-mail and JIRA_TOKEN an API token (id.atlassian.com -> Security -> API tokens)"
	if conn.UserEnv != "" && conn.TokenEnv != "" {
		creds = fmt.Sprintf("%s must be the account's e-mail and %s an API token (id.atlassian.com -> Security -> API tokens)", conn.UserEnv, conn.TokenEnv)
	}
	if conn.Deployment == "datacenter" {
		creds = "JIRA_TOKEN must be a personal access token (Profile -> Personal Access Tokens)"
		if conn.TokenEnv != "" {
			creds = conn.TokenEnv + " must be a personal access token (Profile -> Personal Access Tokens)"
		}
	}
	switch {
	case status == 0:
		return failed("jira.site", fmt.Sprintf("%s is unreachable: %v", conn.URL, unwrapURL(err)),
			"check tracker.jira.url (or JIRA_URL) and that this machine can reach it")
	case status == http.StatusUnauthorized:
		return failed("jira.site", fmt.Sprintf("%s refused the credentials (401)", conn.URL), creds)
	case status == http.StatusForbidden:
		return failed("jira.site", fmt.Sprintf("%s refused access (403): %v", conn.URL, err),
			"the account may need to sign in through the web once (a CAPTCHA after failed logins), or the token lacks access; "+creds)
	case status == http.StatusNotFound:
		return failed("jira.site", fmt.Sprintf("%s has no Jira REST API at /rest/api/2/myself (404)", conn.URL),
			"set tracker.jira.url to the site's root, without /jira/... paths or /rest")
	default:
		return failed("jira.site", fmt.Sprintf("%s answered %d: %v", conn.URL, status, err), "")
	}
}

// unwrapURL drops *url.Error's "Get <url>:" framing, which repeats the
// address the message already gives.
func unwrapURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
