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
// body has it already (Body writes the same line when the link is known
// at filing time); an edit only when the line is missing.
func (t *Tracker) LinkPostmortem(ctx context.Context, tk timeline.Ticket, url string) (bool, error) {
	i := strings.LastIndexByte(tk.ID, '#')
	if i < 0 {
		return false, fmt.Errorf("github: ticket %q is not an issue of %s/%s", tk.ID, t.owner, t.repo)
	}
	n, err := strconv.Atoi(tk.ID[i+1:])
	if err != nil || n <= 0 || !strings.EqualFold(tk.ID[:i], t.owner+"/"+t.repo) {
		return false, fmt.Errorf("github: ticket %q is not an issue of %s/%s", tk.ID, t.owner, t.repo)
	}
	is, _, err := t.client.Issues.Get(ctx, t.owner, t.repo, n)
	if err != nil {
		return false, fmt.Errorf("github: read %s: %w", tk.ID, err)
	}
	line := PostmortemLine(url)
	body := is.GetBody()
	if hasLine(body, line) {
		return false, nil
	}
	body = strings.TrimRight(body, "\n") + "\n" + line + "\n"
	if _, _, err := t.client.Issues.Edit(ctx, t.owner, t.repo, n, &gh.IssueRequest{Body: gh.String(body)}); err != nil {
		return false, fmt.Errorf("github: link %s to its postmortem: %w", tk.ID, err)
	}
	return true, nil
}

// hasLine reports whether body has line as a line of its own outside any
// fenced code block: the action item's text, fenced in the body, is the
// channel's and may hold anything, the line itself included.
func hasLine(body, line string) bool {
	fence := ""
	for _, l := range strings.Split(body, "\n") {
		l = strings.TrimRight(l, "\r")
		switch {
		case fence != "":
			// Closed by a line of at least as many backticks.
			if strings.HasPrefix(l, fence) && strings.Trim(strings.TrimSpace(l), "`") == "" {
				fence = ""
			}
		case strings.HasPrefix(l, "```"):
			fence = l[:len(l)-len(strings.TrimLeft(l, "`"))]
		case l == line:
			return true
		}
	}
	return false
}
