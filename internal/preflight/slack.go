package preflight

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/wrapup/wrapup/archive/slackapi"
)

// SlackConn says how to reach Slack.
type SlackConn struct {
	// APIURL is the Web API's base: "https://slack.com/api/", or an
	// emulator's root or /api/ URL. Empty means Slack itself.
	APIURL string
	// Token is the bot token. It is only ever sent to APIURL.
	Token string
	// Client, when set, is the client to check through; else one is made
	// from APIURL and Token.
	Client *slackapi.Client
}

// client is the archive/slackapi client a run uses, made to fail fast: a
// check reports an unreachable Slack at once, where a run would retry.
func (conn SlackConn) client() *slackapi.Client {
	if conn.Client != nil {
		return conn.Client
	}
	return slackapi.New(conn.Token, slackapi.Options{APIURL: conn.APIURL, MaxAttempts: 1})
}

// SlackAccess is what auth.test said about the token.
type SlackAccess struct {
	Team    string    `json:"team"`
	TeamID  string    `json:"team_id"`
	User    string    `json:"user"`
	UserID  string    `json:"user_id"`
	BotID   string    `json:"bot_id,omitempty"`
	URL     string    `json:"url"`
	Granted []string  `json:"granted"`
	Needed  []string  `json:"needed"`
	Missing []Missing `json:"missing"`
}

// Err is a *MissingScopesError when scopes are missing, else nil.
func (a *SlackAccess) Err() error {
	if len(a.Missing) == 0 {
		return nil
	}
	return &MissingScopesError{Missing: a.Missing}
}

// CheckSlack calls auth.test and compares the token's scopes, from the
// X-OAuth-Scopes header, with needed. An error means the check could not
// be made: Slack unreachable, the token refused, or no scopes reported;
// missing scopes are not an error here (see [SlackAccess.Err]).
func CheckSlack(ctx context.Context, conn SlackConn, needed []string) (*SlackAccess, error) {
	if conn.Token == "" && conn.Client == nil {
		return nil, errors.New("slack: no token")
	}
	id, err := conn.client().Self(ctx)
	if err != nil {
		return nil, slackAuthError(err)
	}
	if id.Scopes == nil {
		return nil, errors.New("slack auth.test: the answer has no X-OAuth-Scopes header, so the token's scopes are unknown (is the API URL a Slack Web API?)")
	}
	granted := parseScopes(strings.Join(id.Scopes, ","))
	return &SlackAccess{
		Team: id.Team, TeamID: id.TeamID, User: id.User, UserID: id.UserID, BotID: id.BotID, URL: id.URL,
		Granted: granted, Needed: needed, Missing: missing(granted, needed),
	}, nil
}

// slackAuthError explains Slack's refusals of a token.
func slackAuthError(err error) error {
	code := slackapi.Code(err)
	why := map[string]string{
		"not_authed":             "no token was sent",
		"invalid_auth":           "the token is not valid (mistyped, or from another workspace)",
		"token_revoked":          "the token has been revoked (the app was uninstalled or the token regenerated)",
		"token_expired":          "the token has expired (token rotation is on; use a non-expiring bot token)",
		"account_inactive":       "the token's user or bot has been deactivated",
		"not_allowed_token_type": "this kind of token can't call the Web API; use the bot token (xoxb-)",
	}[code]
	if why == "" {
		return fmt.Errorf("slack %w", err)
	}
	return fmt.Errorf("slack auth.test: %s (%s)", why, code)
}
