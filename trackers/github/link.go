package github

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	gh "github.com/google/go-github/v60/github"
	"github.com/wrapup/wrapup/timeline"
	"github.com/wrapup/wrapup/trackers"
)

var _ trackers.PostmortemLinker = (*Tracker)(nil)

// PostmortemLine is the body line that links an issue to its postmortem.
func PostmortemLine(url string) string {
	return "- Postmortem: [postmortem](" + safeURL(url) + ")"
}

// LinkPostmortem adds the postmortem's line to the issue's body unless the
// body links it already (Body writes the same line when the link is known
// at filing time); an edit only when the line is missing.
func (t *Tracker) LinkPostmortem(ctx context.Context, tk timeline.Ticket, url string) (bool, error) {
	i := strings.LastIndexByte(tk.ID, '#')
	n, err := strconv.Atoi(tk.ID[i+1:])
	if i < 0 || err != nil || !strings.EqualFold(tk.ID[:i], t.owner+"/"+t.repo) {
		return false, fmt.Errorf("github: ticket %q is not an issue of %s/%s", tk.ID, t.owner, t.repo)
	}
	is, _, err := t.client.Issues.Get(ctx, t.owner, t.repo, n)
	if err != nil {
		return false, fmt.Errorf("github: read %s: %w", tk.ID, err)
	}
	line := PostmortemLine(url)
	body := is.GetBody()
	if strings.Contains(body, "("+safeURL(url)+")") {
		return false, nil
	}
	body = strings.TrimRight(body, "\n") + "\n" + line + "\n"
	if _, _, err := t.client.Issues.Edit(ctx, t.owner, t.repo, n, &gh.IssueRequest{Body: gh.String(body)}); err != nil {
		return false, fmt.Errorf("github: link %s to its postmortem: %w", tk.ID, err)
	}
	return true, nil
}
