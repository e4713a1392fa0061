package slackapi

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/slack-go/slack"
	"github.com/wrapup/wrapup/archive"
)

// WorkspaceURL returns the workspace's URL from auth.test
// ("https://acme.slack.com/"), the base of message permalinks.
func (c *Client) WorkspaceURL(ctx context.Context) (string, error) {
	id, err := c.Self(ctx)
	return id.URL, err
}

// Archive archives the channel. A channel already archived is success,
// with a note saying so; a workspace that forbids it, or the general
// channel, is an error that says what to do.
func (c *Client) Archive(ctx context.Context, channelID string) (note string, err error) {
	_, err = c.call(ctx, nil, "conversations.archive", true, func(ctx context.Context) error {
		return c.api.ArchiveConversationContext(ctx, channelID)
	})
	switch Code(err) {
	case "":
		return "", err
	case "already_archived":
		return "the channel was already archived", nil
	case "restricted_action":
		return "", fmt.Errorf("archiving %s: a workspace setting forbids the %s app to archive channels; archive it by hand or ask an admin: %w",
			channelID, c.opts.AppName, err)
	case "cant_archive_general":
		return "", fmt.Errorf("archiving %s: it is the workspace's general channel, which cannot be archived: %w", channelID, err)
	case "not_in_channel":
		return "", fmt.Errorf("archiving %s: the %s app is not in the channel; invite it (/invite @%s): %w",
			channelID, c.opts.AppName, c.opts.AppName, err)
	}
	return "", fmt.Errorf("archiving %s: %w", channelID, err)
}

// Post posts text to the channel with metadata (event_type and payload),
// and returns the message's ts. A post that timed out or met a 5xx may
// have happened: it is not retried, and the caller looks for it with
// FindMessage before posting again.
func (c *Client) Post(ctx context.Context, channelID, text string, md archive.Metadata) (archive.TS, error) {
	opts, err := messageOptions(text, md)
	if err != nil {
		return 0, err
	}
	var ts string
	_, err = c.call(ctx, nil, "chat.postMessage", false, func(ctx context.Context) error {
		var err error
		_, ts, err = c.api.PostMessageContext(ctx, channelID, opts...)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("posting to %s: %w", channelID, err)
	}
	return archive.ParseTS(ts)
}

// Update replaces the text and metadata of a message the app posted.
// Updating is idempotent, so it is retried like a read.
func (c *Client) Update(ctx context.Context, channelID string, ts archive.TS, text string, md archive.Metadata) error {
	opts, err := messageOptions(text, md)
	if err != nil {
		return err
	}
	_, err = c.call(ctx, nil, "chat.update", true, func(ctx context.Context) error {
		_, _, _, err := c.api.UpdateMessageContext(ctx, channelID, ts.String(), opts...)
		return err
	})
	if err != nil {
		return fmt.Errorf("updating message %s in %s: %w", ts, channelID, err)
	}
	return nil
}

func messageOptions(text string, md archive.Metadata) ([]slack.MsgOption, error) {
	payload := map[string]any{}
	if len(md.EventPayload) > 0 {
		if err := json.Unmarshal(md.EventPayload, &payload); err != nil {
			return nil, fmt.Errorf("message metadata payload: %w", err)
		}
	}
	return []slack.MsgOption{slack.MsgOptionText(text, false),
		slack.MsgOptionMetadata(slack.SlackMetadata{EventType: md.EventType, EventPayload: payload})}, nil
}

// FindMessage returns the newest message in the channel's history whose
// metadata has eventType, or nil when there is none. It reads the history
// with include_all_metadata, newest first, and stops at the first match.
func (c *Client) FindMessage(ctx context.Context, channelID, eventType string) (*archive.Message, error) {
	return c.FindMessageWhere(ctx, channelID, eventType, nil)
}

// FindMessageWhere is FindMessage for a channel that holds many messages
// of the type: match, when not nil, must also accept the message (say, its
// payload names this incident).
func (c *Client) FindMessageWhere(ctx context.Context, channelID, eventType string, match func(*archive.Message) bool) (*archive.Message, error) {
	var found *archive.Message
	err := c.eachHistoryPage(ctx, slack.GetConversationHistoryParameters{ChannelID: channelID, IncludeAllMetadata: true},
		func(msgs []*archive.Message) bool {
			for _, m := range msgs {
				if m.Metadata != nil && m.Metadata.EventType == eventType && (match == nil || match(m)) {
					found = m
					return false
				}
			}
			return true
		})
	if err != nil {
		return nil, fmt.Errorf("looking for the %s message in %s: %w", eventType, channelID, err)
	}
	return found, nil
}

// eachHistoryPage walks the channel's top-level history, newest first, in
// pages of params.Limit (999 when unset), until visit returns false.
func (c *Client) eachHistoryPage(ctx context.Context, params slack.GetConversationHistoryParameters, visit func([]*archive.Message) bool) error {
	if params.Limit <= 0 {
		params.Limit = historyLimit
	}
	for {
		msgs, next, err := c.historyPage(ctx, nil, params)
		if err != nil {
			return err
		}
		if !visit(msgs) || next == "" || next == params.Cursor {
			return nil
		}
		params.Cursor = next
	}
}
