package slacktest_test

import (
	"errors"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/wrapup/wrapup/archive/slacktest"
)

func TestAuth(t *testing.T) {
	opts := slacktest.Options{Tokens: map[string]slacktest.Token{
		"xoxb-good":    {},
		"xoxb-revoked": {Revoked: true},
		"xoxb-reader":  {Scopes: []string{"channels:read", "users:read"}},
	}}
	_, url, _ := start(t, opts, "", channelArchive(t, "C1", "incident", 2))
	client := func(token string) *slack.Client { return slack.New(token, slack.OptionAPIURL(url+"/api/")) }
	for _, tc := range []struct {
		name, token string
		want        string
	}{
		{"no token", "", "not_authed"},
		{"unknown token", "xoxb-bad", "invalid_auth"},
		{"revoked token", "xoxb-revoked", "token_revoked"},
		{"good token", "xoxb-good", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := client(tc.token).AuthTest()
			if got := slackCode(err); got != tc.want {
				t.Errorf("error %q, want %q", got, tc.want)
			}
		})
	}
	t.Run("identity", func(t *testing.T) {
		resp, err := client("xoxb-good").AuthTest()
		if err != nil {
			t.Fatal(err)
		}
		if resp.UserID != "U0EMUBOT" || resp.BotID != "B0EMUBOT" || resp.TeamID != "T0EMULATE" || resp.URL != "https://emulated.slack.com/" {
			t.Errorf("auth.test: %+v", resp)
		}
		if got := resp.Header.Get("X-OAuth-Scopes"); !contains(got, "channels:history") {
			t.Errorf("X-OAuth-Scopes %q lacks channels:history", got)
		}
	})
	t.Run("missing scope", func(t *testing.T) {
		_, err := client("xoxb-reader").GetConversationHistory(&slack.GetConversationHistoryParameters{ChannelID: "C1"})
		var e slack.SlackErrorResponse
		if !errors.As(err, &e) || e.Err != "missing_scope" || e.Needed != "channels:history" || e.Provided != "channels:read,users:read" {
			t.Errorf("history without channels:history: %#v", err)
		}
		if _, err := client("xoxb-reader").GetConversationInfo(&slack.GetConversationInfoInput{ChannelID: "C1"}); err != nil {
			t.Errorf("info with channels:read: %v", err)
		}
	})
}

func TestNotInChannel(t *testing.T) {
	a := channelArchive(t, "C1", "incident", 2)
	a.Channel.Members = []string{"U1"}
	_, _, c := start(t, slacktest.Options{}, "xoxb-1", a)
	p := &slack.GetConversationHistoryParameters{ChannelID: "C1"}
	if _, err := c.GetConversationHistory(p); slackCode(err) != "not_in_channel" {
		t.Fatalf("history before joining: %v", err)
	}
	if _, _, _, err := c.JoinConversation("C1"); err != nil {
		t.Fatal(err)
	}
	resp, err := c.GetConversationHistory(p)
	if err != nil || len(resp.Messages) != 2 {
		t.Errorf("history after joining: %v", err)
	}
}

func TestRateLimit(t *testing.T) {
	// 60x: pins.list (Tier 2) allows 20 calls in a second.
	_, _, c := start(t, slacktest.Options{RateLimits: true, RateScale: 60}, "xoxb-1", channelArchive(t, "C1", "incident", 1))
	for i := range 20 {
		if _, _, err := c.ListPins("C1"); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	_, _, err := c.ListPins("C1")
	var rl *slack.RateLimitedError
	if !errors.As(err, &rl) || rl.RetryAfter < time.Second {
		t.Fatalf("call 21: %v, want a RateLimitedError with Retry-After >= 1s", err)
	}
	// Other methods have their own budgets.
	if _, err := c.GetConversationInfo(&slack.GetConversationInfoInput{ChannelID: "C1"}); err != nil {
		t.Errorf("conversations.info while pins.list is limited: %v", err)
	}
	// chat.postMessage is limited per channel.
	var limited bool
	for range 10 {
		if _, _, err := c.PostMessage("C1", slack.MsgOptionText("x", false)); errors.As(err, &rl) {
			limited = true
			break
		}
	}
	if !limited {
		t.Error("10 quick posts to one channel were not rate limited")
	}
}

func TestRateLimitRecovers(t *testing.T) {
	// 600x: Tier 2's minute is 100ms.
	_, _, c := start(t, slacktest.Options{RateLimits: true, RateScale: 600}, "xoxb-1")
	for range 20 {
		if _, err := c.GetUsers(); err != nil {
			t.Fatal(err)
		}
	}
	var rl *slack.RateLimitedError
	if _, _, err := c.GetConversations(&slack.GetConversationsParameters{}); err != nil {
		t.Fatalf("conversations.list: %v", err)
	}
	if _, err := c.GetUsersPaginated().Next(t.Context()); !errors.As(err, &rl) {
		t.Fatalf("call 21 to users.list: %v, want rate limited", err)
	}
	time.Sleep(120 * time.Millisecond)
	if _, err := c.GetUsers(); err != nil {
		t.Errorf("after the window: %v", err)
	}
}
