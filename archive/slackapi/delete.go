package slackapi

import (
	"context"
	"fmt"

	"github.com/wrapup/wrapup/archive"
)

// Delete deletes a message the app posted. Deleting is idempotent, so it
// is retried like a read, and a message already gone (message_not_found)
// is success: a retry after a delete that took effect finds nothing.
func (c *Client) Delete(ctx context.Context, channelID string, ts archive.TS) error {
	_, err := c.call(ctx, nil, "chat.delete", true, func(ctx context.Context) error {
		_, _, err := c.api.DeleteMessageContext(ctx, channelID, ts.String())
		return err
	})
	switch Code(err) {
	case "":
		if err != nil {
			return fmt.Errorf("deleting message %s in %s: %w", ts, channelID, err)
		}
		return nil
	case "message_not_found":
		return nil
	case "cant_delete_message":
		return fmt.Errorf("deleting message %s in %s: the %s app did not post it, and may delete only its own messages: %w",
			ts, channelID, c.opts.AppName, err)
	}
	return fmt.Errorf("deleting message %s in %s: %w", ts, channelID, err)
}
