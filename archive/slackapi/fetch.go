package slackapi

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/slack-go/slack"
	"github.com/wrapup/wrapup/archive"
)

// Page sizes: Slack's maximums for each method, so a channel of N
// messages costs ceil(N/999) history calls and a thread of R replies
// ceil((R+1)/1000) replies calls (the parent rides on every page).
const (
	historyLimit = 999
	repliesLimit = 1000
)

// decodePage decodes the messages array of a captured history or replies
// body into archive messages, each keeping its JSON as Slack sent it.
func decodePage(method string, body []byte) ([]*archive.Message, error) {
	var page pageBody
	if err := json.Unmarshal(body, &page); err != nil {
		return nil, fmt.Errorf("%s: %w", method, err)
	}
	msgs := make([]*archive.Message, 0, len(page.Messages))
	for i, raw := range page.Messages {
		// raw is Unmarshal's own copy, which nothing else holds: the
		// message may alias it.
		m, err := archive.DecodeMessage(raw)
		if err != nil {
			return nil, fmt.Errorf("%s: message %d: %w", method, i, err)
		}
		if m.TS == 0 {
			return nil, fmt.Errorf("%s: message %d has no ts", method, i)
		}
		msgs = append(msgs, m)
	}
	return msgs, nil
}

// historyPage fetches one page of conversations.history.
func (c *Client) historyPage(ctx context.Context, cnt *counters, params slack.GetConversationHistoryParameters) ([]*archive.Message, string, error) {
	var resp *slack.GetConversationHistoryResponse
	capt, err := c.call(ctx, cnt, "conversations.history", true, func(ctx context.Context) error {
		var err error
		resp, err = c.api.GetConversationHistoryContext(ctx, &params)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	msgs, err := decodePage("conversations.history", capt.body)
	if err != nil {
		return nil, "", err
	}
	next := resp.ResponseMetaData.NextCursor
	if !resp.HasMore {
		next = ""
	}
	c.checkPage("conversations.history", params.Limit, len(msgs), next != "")
	return msgs, next, nil
}

// thread fetches every page of one thread: the parent and its replies.
func (c *Client) thread(ctx context.Context, cnt *counters, channelID string, parent archive.TS, limit int) ([]*archive.Message, error) {
	var all []*archive.Message
	cursor := ""
	for {
		var next string
		capt, err := c.call(ctx, cnt, "conversations.replies", true, func(ctx context.Context) error {
			var err error
			_, _, next, err = c.api.GetConversationRepliesContext(ctx, &slack.GetConversationRepliesParameters{
				ChannelID: channelID, Timestamp: parent.String(), Cursor: cursor, Limit: limit, IncludeAllMetadata: true})
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("thread %s: %w", parent, err)
		}
		msgs, err := decodePage("conversations.replies", capt.body)
		if err != nil {
			return nil, fmt.Errorf("thread %s: %w", parent, err)
		}
		all = append(all, msgs...)
		c.checkPage("conversations.replies", limit, len(msgs), next != "")
		if next == "" || next == cursor {
			return all, nil
		}
		cursor = next
	}
}
