package preflight

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/slack-go/slack"
	"github.com/wrapup/wrapup/archive/slackapi"
)

// SlackConn says how to reach Slack.
type SlackConn struct {
	// APIURL is the Web API's base: "https://slack.com/api/", or an
	// emulator's root or /api/ URL. Empty means Slack itself.
	APIURL string
	// Token is the bot token. It is only ever sent to APIURL.
	Token string
	// HTTPClient sends the requests; nil means one with a 30s timeout.
	HTTPClient *http.Client
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

// NewSlackClient returns a slack-go client for conn.
func NewSlackClient(conn SlackConn) *slack.Client {
	hc := conn.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	return slack.New(conn.Token, slack.OptionAPIURL(slackapi.NormalizeAPIURL(conn.APIURL)), slack.OptionHTTPClient(hc))
}

// CheckSlack calls auth.test and compares the token's scopes, from the
// X-OAuth-Scopes header, with needed. An error means the check could not
// be made: Slack unreachable, the token refused, or no scopes reported;
// missing scopes are not an error here (see [SlackAccess.Err]).
func CheckSlack(ctx context.Context, conn SlackConn, needed []string) (*SlackAccess, error) {
	if conn.Token == "" {
		return nil, errors.New("slack: no token")
	}
	resp, err := NewSlackClient(conn).AuthTestContext(ctx)
	if err != nil {
		return nil, slackAuthError(err)
	}
	h, ok := resp.Header[http.CanonicalHeaderKey("X-OAuth-Scopes")]
	if !ok {
		return nil, errors.New("slack auth.test: the answer has no X-OAuth-Scopes header, so the token's scopes are unknown (is the API URL a Slack Web API?)")
	}
	granted := parseScopes(strings.Join(h, ","))
	return &SlackAccess{
		Team: resp.Team, TeamID: resp.TeamID, User: resp.User, UserID: resp.UserID, BotID: resp.BotID, URL: resp.URL,
		Granted: granted, Needed: needed, Missing: missing(granted, needed),
	}, nil
}

// RequireSlack is CheckSlack for the pipeline: an error unless the check
// could be made and every needed scope is granted.
func RequireSlack(ctx context.Context, conn SlackConn, needed []string) (*SlackAccess, error) {
	a, err := CheckSlack(ctx, conn, needed)
	if err != nil {
		return nil, err
	}
	return a, a.Err()
}

// slackAuthError explains Slack's refusals of a token.
func slackAuthError(err error) error {
	var se slack.SlackErrorResponse
	if !errors.As(err, &se) {
		return fmt.Errorf("slack auth.test: %w", err)
	}
	why := map[string]string{
		"not_authed":             "no token was sent",
		"invalid_auth":           "the token is not valid (mistyped, or from another workspace)",
		"token_revoked":          "the token has been revoked (the app was uninstalled or the token regenerated)",
		"token_expired":          "the token has expired (token rotation is on; use a non-expiring bot token)",
		"account_inactive":       "the token's user or bot has been deactivated",
		"not_allowed_token_type": "this kind of token can't call the Web API; use the bot token (xoxb-)",
	}[se.Err]
	if why == "" {
		return fmt.Errorf("slack auth.test: %w", err)
	}
	return fmt.Errorf("slack auth.test: %s: %w", why, err)
}
