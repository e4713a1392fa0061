package slackapi

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/slack-go/slack"
	"github.com/wrapup/wrapup/archive"
)

// channelID matches Slack conversation IDs; channel names are lower case,
// so nothing else can look like one.
var channelID = regexp.MustCompile(`^[CGD][A-Z0-9]{2,}$`)

// Resolve returns the ID of a channel given by ID or by name (with or
// without '#'). Names are looked up with conversations.list over public and
// private channels, archived ones included.
func (c *Client) Resolve(ctx context.Context, channel string) (string, error) {
	return c.resolve(ctx, nil, channel)
}

func (c *Client) resolve(ctx context.Context, cnt *counters, channel string) (string, error) {
	name := strings.TrimPrefix(strings.TrimSpace(channel), "#")
	if name == "" {
		return "", fmt.Errorf("no channel given")
	}
	if channelID.MatchString(name) {
		return name, nil
	}
	var id string
	err := c.eachChannel(ctx, cnt, func(ch slack.Channel) bool {
		if ch.Name == name {
			id = ch.ID
			return false
		}
		return true
	})
	switch {
	case err != nil:
		return "", fmt.Errorf("finding channel #%s: %w", name, err)
	case id == "":
		return "", fmt.Errorf("channel #%s not found: check the name; a private channel is visible only once the app is in it (/invite @%s in #%s)",
			name, c.opts.AppName, name)
	}
	return id, checkID("conversations.list", id)
}

// Listed is a channel as conversations.list shows it to the app.
type Listed struct {
	ID, Name string
	Archived bool
	Private  bool
	Member   bool // the app is in it
}

// FindChannel looks a channel up by name (with or without '#') or ID in
// conversations.list, over public and private channels, archived ones
// included; found is false when the app cannot see it.
func (c *Client) FindChannel(ctx context.Context, channel string) (l Listed, found bool, err error) {
	want := strings.TrimPrefix(strings.TrimSpace(channel), "#")
	err = c.eachChannel(ctx, nil, func(ch slack.Channel) bool {
		if ch.Name != want && ch.ID != want {
			return true
		}
		l, found = Listed{ID: ch.ID, Name: ch.Name, Archived: ch.IsArchived, Private: ch.IsPrivate, Member: ch.IsMember}, true
		return false
	})
	return l, found, err
}

// checkID refuses a channel ID that is not one: IDs name checkpoint and
// staging files, so one from a broken or hostile API (SLACK_API_URL) must
// not carry a path.
func checkID(method, id string) error {
	if !channelID.MatchString(id) {
		return fmt.Errorf("%s answered with the channel ID %q, which is not a Slack channel ID (is SLACK_API_URL a Slack Web API?)", method, id)
	}
	return nil
}

// eachChannel walks conversations.list over public and private channels,
// archived ones included, until visit returns false.
func (c *Client) eachChannel(ctx context.Context, cnt *counters, visit func(slack.Channel) bool) error {
	cursor := ""
	for {
		var list []slack.Channel
		var next string
		_, err := c.call(ctx, cnt, "conversations.list", true, func(ctx context.Context) error {
			var err error
			list, next, err = c.api.GetConversationsContext(ctx, &slack.GetConversationsParameters{
				Types: []string{"public_channel", "private_channel"}, Limit: 1000, Cursor: cursor})
			return err
		})
		if err != nil {
			return err
		}
		for _, ch := range list {
			if !visit(ch) {
				return nil
			}
		}
		if next == "" {
			return nil
		}
		cursor = next
	}
}

// Info returns the channel's metadata from conversations.info, as Slack
// sent it: whether it is archived, its name, topic and creation time.
func (c *Client) Info(ctx context.Context, channelID string) (archive.Channel, error) {
	return c.info(ctx, nil, channelID)
}

// info fetches conversations.info and keeps the channel object as Slack
// sent it.
func (c *Client) info(ctx context.Context, cnt *counters, id string) (archive.Channel, error) {
	capt, err := c.call(ctx, cnt, "conversations.info", true, func(ctx context.Context) error {
		_, err := c.api.GetConversationInfoContext(ctx, &slack.GetConversationInfoInput{ChannelID: id})
		return err
	})
	if err != nil {
		if Code(err) == "channel_not_found" {
			return archive.Channel{}, fmt.Errorf("channel %s not found: if it is private, invite the %s app to it first (/invite @%s): %w",
				id, c.opts.AppName, c.opts.AppName, err)
		}
		return archive.Channel{}, err
	}
	var body struct {
		Channel archive.Channel `json:"channel"`
	}
	if err := json.Unmarshal(capt.body, &body); err != nil {
		return archive.Channel{}, fmt.Errorf("conversations.info %s: %w", id, err)
	}
	if body.Channel.ID == "" {
		return archive.Channel{}, fmt.Errorf("conversations.info %s: the answer holds no channel", id)
	}
	if body.Channel.ID != id {
		return archive.Channel{}, fmt.Errorf("conversations.info %s answered for another channel, %q", id, body.Channel.ID)
	}
	return body.Channel, nil
}

// join joins a public channel, or explains what the user must do.
func (c *Client) join(ctx context.Context, cnt *counters, ch archive.Channel) error {
	if ch.Private {
		return fmt.Errorf("the %s app is not in the private channel #%s: invite it with /invite @%s in #%s, then run again",
			c.opts.AppName, ch.Name, c.opts.AppName, ch.Name)
	}
	_, err := c.call(ctx, cnt, "conversations.join", true, func(ctx context.Context) error {
		_, _, _, err := c.api.JoinConversationContext(ctx, ch.ID)
		return err
	})
	if Code(err) == "is_archived" {
		return fmt.Errorf("%w: #%s was archived, and Slack removed the %s app from it then: it can be neither read nor joined (%w)",
			ErrArchived, ch.Name, c.opts.AppName, err)
	}
	if err != nil {
		return fmt.Errorf("joining #%s to read it (or invite the %s app: /invite @%s): %w", ch.Name, c.opts.AppName, c.opts.AppName, err)
	}
	c.log.Info("joined the channel to read it", "channel", ch.Name)
	return nil
}

// pins lists the channel's pinned messages, as an export records them.
func (c *Client) pins(ctx context.Context, cnt *counters, id string) ([]archive.Pin, error) {
	capt, err := c.call(ctx, cnt, "pins.list", true, func(ctx context.Context) error {
		_, _, err := c.api.ListPinsContext(ctx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	var body struct {
		Items []struct {
			Type      string      `json:"type"`
			Created   archive.Int `json:"created"`
			CreatedBy string      `json:"created_by"`
			Message   *struct {
				TS   archive.TS `json:"ts"`
				User string     `json:"user"`
			} `json:"message"`
		} `json:"items"`
	}
	if err := json.Unmarshal(capt.body, &body); err != nil {
		return nil, fmt.Errorf("pins.list %s: %w", id, err)
	}
	var pins []archive.Pin
	for _, it := range body.Items {
		if it.Type == "message" && it.Message != nil && it.Message.TS != 0 {
			pins = append(pins, archive.Pin{TS: it.Message.TS, Type: "C", Created: it.Created,
				User: it.CreatedBy, Owner: it.Message.User})
		}
	}
	return pins, nil
}

// bookmarks lists the channel's bookmarks.
func (c *Client) bookmarks(ctx context.Context, cnt *counters, id string) ([]archive.Bookmark, error) {
	capt, err := c.call(ctx, cnt, "bookmarks.list", true, func(ctx context.Context) error {
		_, err := c.api.ListBookmarksContext(ctx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	var body struct {
		Bookmarks []archive.Bookmark `json:"bookmarks"`
	}
	if err := json.Unmarshal(capt.body, &body); err != nil {
		return nil, fmt.Errorf("bookmarks.list %s: %w", id, err)
	}
	return body.Bookmarks, nil
}

// Join makes the app a member of a public channel so that it can read and
// post there; for a private channel it says who must invite the app.
func (c *Client) Join(ctx context.Context, channelID string) error {
	ch, err := c.info(ctx, nil, channelID)
	if err != nil {
		return err
	}
	return c.join(ctx, nil, ch)
}
