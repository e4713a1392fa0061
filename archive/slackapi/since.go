package slackapi

import (
	"context"
	"fmt"

	"github.com/slack-go/slack"
	"github.com/wrapup/wrapup/archive"
)

// Since returns the channel's top-level messages posted at or after
// oldest, newest first, metadata included: how a run reads back what was
// posted around its own message.
func (c *Client) Since(ctx context.Context, channelID string, oldest archive.TS) ([]*archive.Message, error) {
	var all []*archive.Message
	err := c.eachHistoryPage(ctx, slack.GetConversationHistoryParameters{ChannelID: channelID,
		Oldest: oldest.String(), Inclusive: true, IncludeAllMetadata: true},
		func(msgs []*archive.Message) bool { all = append(all, msgs...); return true })
	if err != nil {
		return nil, fmt.Errorf("history of %s since %s: %w", channelID, oldest, err)
	}
	return all, nil
}
