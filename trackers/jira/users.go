package jira

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/wrapup/wrapup/timeline"
)

type jiraUser struct {
	AccountID string `json:"accountId"`
	Name      string `json:"name"`
	Email     string `json:"emailAddress"`
	Active    *bool  `json:"active"`
}

// assignee resolves the item's assignee: the Slack handle's entry in
// Config.Users; else on Cloud the accountId of the user who shows the
// Slack user's e-mail (Cloud hides most e-mails), on Data Center the
// user with that e-mail or the handle as username. An unknown user gives
// no assignee and a note for the description, not an error.
func (t *Tracker) assignee(ctx context.Context, it timeline.ActionItem) (id, note string, err error) {
	if it.Assignee == "" && it.AssigneeEmail == "" {
		return "", "", nil
	}
	if id := t.cfg.Users[it.Assignee]; it.Assignee != "" && id != "" {
		return id, "", nil
	}
	query := it.AssigneeEmail
	if query == "" {
		if t.cfg.Deployment == Cloud {
			return "", fmt.Sprintf("Unassigned: @%s is not in tracker.jira.users and has no known e-mail to find their Jira account by.", it.Assignee), nil
		}
		query = it.Assignee // Data Center user names often match Slack handles
	}
	t.usersMu.Lock()
	id, cached := t.users[strings.ToLower(query)]
	t.usersMu.Unlock()
	if !cached {
		if id, err = t.findUser(ctx, query); err != nil {
			return "", "", err
		}
		t.usersMu.Lock()
		t.users[strings.ToLower(query)] = id
		t.usersMu.Unlock()
	}
	if id == "" {
		how := "no Jira user shows the e-mail " + query
		if query != it.AssigneeEmail {
			how = "no Jira user has the username " + query
		}
		return "", fmt.Sprintf("Unassigned: %s is not in tracker.jira.users and %s.", who(it), how), nil
	}
	return id, "", nil
}

// findUser asks /rest/api/2/user/search. go-jira's User.Find does not
// escape the query (an e-mail with "+" breaks) so the request is built
// here.
func (t *Tracker) findUser(ctx context.Context, query string) (string, error) {
	param := "query"
	if t.cfg.Deployment == DataCenter {
		param = "username"
	}
	v := url.Values{param: {query}}
	req, err := t.client.NewRequestWithContext(ctx, http.MethodGet, "rest/api/2/user/search?"+v.Encode(), nil)
	if err != nil {
		return "", fmt.Errorf("jira user search: %w", err)
	}
	var users []jiraUser
	resp, err := t.client.Do(req, &users)
	if err != nil {
		return "", t.fail("user search", resp, err)
	}
	var match []jiraUser
	for _, u := range users {
		if u.Active != nil && !*u.Active {
			continue
		}
		exact := strings.EqualFold(u.Email, query) || (t.cfg.Deployment == DataCenter && strings.EqualFold(u.Name, query))
		if exact {
			match = append(match, u)
		}
	}
	// Only an unambiguous match assigns: a wrong assignee is worse than none.
	if len(match) != 1 {
		return "", nil
	}
	if t.cfg.Deployment == Cloud {
		return match[0].AccountID, nil
	}
	return match[0].Name, nil
}
