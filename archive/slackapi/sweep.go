package slackapi

import (
	"context"
	"fmt"
	"strings"

	"github.com/slack-go/slack"
	"github.com/wrapup/wrapup/archive"
)

// ListChannels lists the public and private channels whose names start
// with prefix, archived ones included (they say so), in one paged
// conversations.list walk.
func (c *Client) ListChannels(ctx context.Context, prefix string) ([]archive.Channel, error) {
	var out []archive.Channel
	err := c.eachChannel(ctx, nil, func(ch slack.Channel) bool {
		if strings.HasPrefix(ch.Name, prefix) {
			out = append(out, archive.Channel{ID: ch.ID, Name: ch.Name, Created: archive.Int(ch.Created),
				Creator: ch.Creator, Archived: ch.IsArchived, Private: ch.IsPrivate,
				Topic: archive.Topic{Value: ch.Topic.Value, Creator: ch.Topic.Creator, LastSet: archive.Int(ch.Topic.LastSet)}})
		}
		return true
	})
	if err != nil {
		return nil, fmt.Errorf("listing channels: %w", err)
	}
	return out, nil
}

// Recent returns the channel's newest n top-level messages (n at most
// 999: one call), as Slack sent them. With join, a public channel the app
// is not in is joined first, as an export would; without (a dry run), that
// is an error.
func (c *Client) Recent(ctx context.Context, channelID string, n int, join bool) ([]*archive.Message, error) {
	n = min(max(n, 1), historyLimit)
	params := slack.GetConversationHistoryParameters{ChannelID: channelID, Limit: n}
	msgs, _, err := c.historyPage(ctx, nil, params)
	if Code(err) == "not_in_channel" && join {
		ch, ierr := c.info(ctx, nil, channelID)
		if ierr != nil {
			return nil, ierr
		}
		if jerr := c.join(ctx, nil, ch); jerr != nil {
			return nil, jerr
		}
		msgs, _, err = c.historyPage(ctx, nil, params)
	}
	if err != nil {
		return nil, fmt.Errorf("recent history of %s: %w", channelID, err)
	}
	return msgs, nil
}

// Message returns one top-level message as Slack holds it now, metadata
// included, or nil when there is none at ts: one history call.
func (c *Client) Message(ctx context.Context, channelID string, ts archive.TS) (*archive.Message, error) {
	msgs, _, err := c.historyPage(ctx, nil, slack.GetConversationHistoryParameters{ChannelID: channelID,
		Oldest: ts.String(), Latest: ts.String(), Inclusive: true, Limit: 1, IncludeAllMetadata: true})
	if err != nil {
		return nil, fmt.Errorf("message %s in %s: %w", ts, channelID, err)
	}
	for _, m := range msgs {
		if m.TS == ts {
			return m, nil
		}
	}
	return nil, nil
}

// TopLevel returns every top-level message of the channel, newest first,
// in pages of 999: each thread parent carries its latest_reply, so this
// tells what changed since an export at a fraction of an export's calls.
func (c *Client) TopLevel(ctx context.Context, channelID string) ([]*archive.Message, error) {
	var all []*archive.Message
	err := c.eachHistoryPage(ctx, slack.GetConversationHistoryParameters{ChannelID: channelID},
		func(msgs []*archive.Message) bool { all = append(all, msgs...); return true })
	if err != nil {
		return nil, fmt.Errorf("history of %s: %w", channelID, err)
	}
	return all, nil
}
