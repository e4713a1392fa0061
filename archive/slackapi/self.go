package slackapi

import (
	"context"
	"net/http"
	"strings"
	"sync"

	"github.com/wrapup/wrapup/archive"
)

// Identity is who the token is, as auth.test says: the workspace, the
// app's user and, for a bot token, its bot.
type Identity struct {
	URL    string // the workspace's URL, "https://acme.slack.com/"
	Team   string // the workspace's name
	TeamID string
	User   string // the bot's user name
	UserID string // the bot's user ID
	BotID  string // "" for a user token
	// Scopes are the token's OAuth scopes, from the X-OAuth-Scopes
	// header; nil when Slack sent none.
	Scopes []string
}

// Owns reports whether m was posted by this identity: by its bot, or by
// its user. Any app in a channel can post metadata of any event type, so
// wrapup trusts only its own messages.
func (id Identity) Owns(m *archive.Message) bool {
	switch {
	case m == nil:
		return false
	case id.BotID != "" && m.BotID != "":
		return m.BotID == id.BotID
	}
	return id.UserID != "" && m.User == id.UserID
}

// self caches auth.test's answer: it does not change while a client lives.
type self struct {
	mu sync.Mutex
	id *Identity
}

// Self returns the token's identity from auth.test, asked once per client.
func (c *Client) Self(ctx context.Context) (Identity, error) {
	c.me.mu.Lock()
	defer c.me.mu.Unlock()
	if c.me.id != nil {
		return *c.me.id, nil
	}
	var id Identity
	_, err := c.call(ctx, nil, "auth.test", true, func(ctx context.Context) error {
		r, err := c.api.AuthTestContext(ctx)
		if r != nil {
			id = Identity{URL: r.URL, Team: r.Team, TeamID: r.TeamID, User: r.User, UserID: r.UserID, BotID: r.BotID}
			if h, ok := r.Header[http.CanonicalHeaderKey("X-OAuth-Scopes")]; ok {
				id.Scopes = []string{}
				for _, sc := range strings.Split(strings.Join(h, ","), ",") {
					if sc = strings.TrimSpace(sc); sc != "" {
						id.Scopes = append(id.Scopes, sc)
					}
				}
			}
		}
		return err
	})
	if err != nil {
		return Identity{}, err
	}
	c.me.id = &id
	return id, nil
}
