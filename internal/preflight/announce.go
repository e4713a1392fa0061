package preflight

import (
	"context"
	"fmt"
	"strings"

	"github.com/wrapup/wrapup/archive/slackapi"
)

// checkAnnounce says whether wrapup can post in close.announce_channel: it
// reads and posts only where it is a member, joins a public channel by
// itself, and must be invited to a private one.
func checkAnnounce(ctx context.Context, c *slackapi.Client, channel string) Check {
	const name = "slack.announce_channel"
	want := strings.TrimPrefix(strings.TrimSpace(channel), "#")
	ch, found, err := c.FindChannel(ctx, want)
	switch {
	case err != nil:
		return failed(name, fmt.Sprintf("listing channels to find #%s: %v", want, err), "grant channels:read and groups:read")
	case !found:
		return failed(name, fmt.Sprintf("no channel #%s that the app can see", want),
			fmt.Sprintf("check the name; if #%s is private, invite the app to it (/invite @wrapup)", want))
	case ch.Archived:
		return failed(name, fmt.Sprintf("#%s is archived: Slack removed the app from it, so nothing can be announced there", ch.Name),
			"unarchive it, or name another channel in close.announce_channel")
	case ch.Member:
		return ok(name, fmt.Sprintf("#%s: the app is a member", ch.Name))
	case ch.Private:
		return failed(name, fmt.Sprintf("#%s is private and the app is not in it", ch.Name),
			fmt.Sprintf("invite the app: /invite @wrapup in #%s", ch.Name))
	}
	return ok(name, fmt.Sprintf("#%s is public: the app joins it on its first announcement", ch.Name))
}
