package preflight

import (
	"context"
	"fmt"
	"strings"

	"github.com/slack-go/slack"
)

// checkAnnounce says whether wrapup can post in close.announce_channel: it
// reads and posts only where it is a member, joins a public channel by
// itself, and must be invited to a private one.
func checkAnnounce(ctx context.Context, api *slack.Client, channel string) Check {
	const name = "slack.announce_channel"
	want := strings.TrimPrefix(strings.TrimSpace(channel), "#")
	params := &slack.GetConversationsParameters{Types: []string{"public_channel", "private_channel"}, Limit: 1000}
	for {
		list, next, err := api.GetConversationsContext(ctx, params)
		if err != nil {
			return failed(name, fmt.Sprintf("listing channels to find #%s: %v", want, err), "grant channels:read and groups:read")
		}
		for _, ch := range list {
			if ch.Name != want && ch.ID != want {
				continue
			}
			switch {
			case ch.IsArchived:
				return failed(name, fmt.Sprintf("#%s is archived: Slack removed the app from it, so nothing can be announced there", ch.Name),
					"unarchive it, or name another channel in close.announce_channel")
			case ch.IsMember:
				return ok(name, fmt.Sprintf("#%s: the app is a member", ch.Name))
			case ch.IsPrivate:
				return failed(name, fmt.Sprintf("#%s is private and the app is not in it", ch.Name),
					fmt.Sprintf("invite the app: /invite @wrapup in #%s", ch.Name))
			}
			return ok(name, fmt.Sprintf("#%s is public: the app joins it on its first announcement", ch.Name))
		}
		if next == "" {
			return failed(name, fmt.Sprintf("no channel #%s that the app can see", want),
				fmt.Sprintf("check the name; if #%s is private, invite the app to it (/invite @wrapup)", want))
		}
		params.Cursor = next
	}
}
