package jira

import (
	"context"
	"fmt"

	gojira "github.com/andygrunwald/go-jira"
	"github.com/wrapup/wrapup/timeline"
	"github.com/wrapup/wrapup/trackers"
)

var _ trackers.PostmortemLinker = (*Tracker)(nil)

// LinkPostmortem gives the issue a remote link to the postmortem whose
// globalId is the postmortem's URL: Jira updates the link with that
// globalId rather than adding a second one (DESIGN "Trackers"), so every
// run may send it.
func (t *Tracker) LinkPostmortem(ctx context.Context, tk timeline.Ticket, url string) (bool, error) {
	link := &gojira.RemoteLink{GlobalID: url, Object: &gojira.RemoteLinkObject{URL: url, Title: "Postmortem"}}
	_, resp, err := t.client.Issue.AddRemoteLinkWithContext(ctx, tk.ID, link)
	if err != nil {
		if resp != nil {
			err = gojira.NewJiraError(resp, err)
		}
		return false, fmt.Errorf("jira: link %s to its postmortem: %w", tk.ID, err)
	}
	return resp.StatusCode == 201, nil
}
