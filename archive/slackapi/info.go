package slackapi

import (
	"context"

	"github.com/wrapup/wrapup/archive"
)

// Info returns the channel's metadata from conversations.info, as Slack
// sent it: whether it is archived, its name, topic and creation time.
func (c *Client) Info(ctx context.Context, channelID string) (archive.Channel, error) {
	return c.info(ctx, nil, channelID)
}
