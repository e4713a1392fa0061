package preflight

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/wrapup/wrapup/archive/slackapi"
)

// checkUnmapped lists the workspace's people whose Slack handle
// tracker.jira.users does not map. Jira Cloud hides most users' e-mail, so
// their action items will be filed unassigned unless Jira shows it.
func checkUnmapped(ctx context.Context, c *slackapi.Client, users map[string]string) Check {
	const name = "jira.unmapped"
	all, err := c.People(ctx)
	if err != nil {
		return failed(name, fmt.Sprintf("listing Slack users to compare with tracker.jira.users: %v", err), "grant users:read")
	}
	var missing []string
	for _, u := range all {
		if u.IsBot || u.Deleted || u.ID == "USLACKBOT" || u.Name == "" {
			continue
		}
		if _, ok := users[u.Name]; !ok {
			missing = append(missing, u.Name)
		}
	}
	if len(missing) == 0 {
		return ok(name, "tracker.jira.users maps every person of the Slack workspace")
	}
	slices.Sort(missing)
	shown := missing
	if len(shown) > 20 {
		shown = append(slices.Clone(shown[:20]), fmt.Sprintf("and %d more", len(missing)-20))
	}
	// Not a failure: people outside incidents need no mapping, and Jira
	// may show some of their e-mails.
	return ok(name, fmt.Sprintf("%d Slack handles have no accountId in tracker.jira.users (their items are assigned only where Jira Cloud shows their e-mail): %s",
		len(missing), strings.Join(shown, ", ")))
}
