package slackapi

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/slack-go/slack"
	"github.com/wrapup/wrapup/archive"
)

// ListChannels lists the public and private channels whose names start
// with prefix, archived ones included (they say so), in one paged
// conversations.list walk.
func (c *Client) ListChannels(ctx context.Context, prefix string) ([]archive.Channel, error) {
	var out []archive.Channel
	var bad error
	err := c.eachChannel(ctx, nil, func(ch slack.Channel) bool {
		if strings.HasPrefix(ch.Name, prefix) {
			if bad = checkID("conversations.list", ch.ID); bad != nil {
				return false
			}
			out = append(out, archive.Channel{ID: ch.ID, Name: ch.Name, Created: archive.Int(ch.Created),
				Creator: ch.Creator, Archived: ch.IsArchived, Private: ch.IsPrivate,
				Topic: archive.Topic{Value: ch.Topic.Value, Creator: ch.Topic.Creator, LastSet: archive.Int(ch.Topic.LastSet)},
				// What conversations.info would say: whether the app must
				// join before reading (see JoinListed).
				Extra: map[string]json.RawMessage{"is_member": json.RawMessage(strconv.FormatBool(ch.IsMember))}})
		}
		return true
	})
	if err == nil {
		err = bad
	}
	if err != nil {
		return nil, fmt.Errorf("listing channels: %w", err)
	}
	return out, nil
}

// JoinListed is [Client.Join] for a channel as [Client.ListChannels] or
// conversations.info gave it: a public channel the app is not in is
// joined, without asking conversations.info first; a channel the app is
// in, or one it cannot join, costs no call.
func (c *Client) JoinListed(ctx context.Context, ch archive.Channel) error {
	if ch.Private || ch.Archived || string(ch.Extra["is_member"]) != "false" {
		return nil
	}
	return c.join(ctx, nil, ch)
}

// HistoryPage is one page of conversations.history, newest first, with
// the cursor of the next (older) page; "" when it is the last.
type HistoryPage struct {
	Messages []*archive.Message
	Next     string
}

// LookBack pages back through the channel's top-level messages, newest
// first, asking pageSize (1 to 999) a call, and hands everything read so
// far to enough after each page, until enough returns true or the history
// ends; it returns the messages read, and the first page with its cursor,
// metadata included, for an export to start from (see
// [ExportOptions.FirstPage]). Slack may answer with smaller pages
// than asked (15 for a distributed app, see [DistributedLimitsNote]): the
// paging makes that a matter of time, not of what is seen. With join, a
// public channel the app is not in is joined first, as an export would;
// without (a dry run), that is an error.
func (c *Client) LookBack(ctx context.Context, channelID string, pageSize int, join bool, enough func([]*archive.Message) bool) ([]*archive.Message, *HistoryPage, error) {
	var all []*archive.Message
	var first *HistoryPage
	walk := func() error {
		all, first = nil, nil
		params := slack.GetConversationHistoryParameters{ChannelID: channelID, Limit: min(max(pageSize, 1), historyLimit), IncludeAllMetadata: true}
		for {
			msgs, next, err := c.historyPage(ctx, nil, params)
			if err != nil {
				return err
			}
			if first == nil {
				first = &HistoryPage{Messages: msgs, Next: next}
			}
			all = append(all, msgs...)
			if enough(all) || next == "" || next == params.Cursor {
				return nil
			}
			params.Cursor = next
		}
	}
	err := walk()
	if Code(err) == "not_in_channel" && join {
		if jerr := c.Join(ctx, channelID); jerr != nil {
			return nil, nil, jerr
		}
		err = walk()
	}
	if err != nil {
		return nil, nil, fmt.Errorf("history of %s: %w", channelID, err)
	}
	return all, first, nil
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

// TopLevel returns every top-level message of the channel as Slack holds
// it now, metadata included, newest first, in pages of 999: each thread parent carries its latest_reply, so this
// tells what changed since an export at a fraction of an export's calls.
func (c *Client) TopLevel(ctx context.Context, channelID string) ([]*archive.Message, error) {
	var all []*archive.Message
	err := c.eachHistoryPage(ctx, slack.GetConversationHistoryParameters{ChannelID: channelID, IncludeAllMetadata: true},
		func(msgs []*archive.Message) bool { all = append(all, msgs...); return true })
	if err != nil {
		return nil, fmt.Errorf("history of %s: %w", channelID, err)
	}
	return all, nil
}
