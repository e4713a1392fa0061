package emustack_test

import (
	"net/http/httptest"
	"testing"

	"github.com/slack-go/slack"
	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/internal/emustack"
)

// TestWorldReachesSlack: a world's Slack part configures the stack's Slack
// emulator; without a world it keeps its defaults.
func TestWorldReachesSlack(t *testing.T) {
	var msgs []*archive.Message
	for i := range 20 {
		msgs = append(msgs, &archive.Message{Type: "message", User: "U1", Text: "x",
			TS: archive.TS(1_700_000_000_000_000 + i*1_000_000)})
	}
	for _, tc := range []struct {
		world    *emustack.World
		bot      string
		pageSize int
	}{
		{nil, "U0EMUBOT", 20},
		{&emustack.World{Slack: emustack.SlackWorld{App: emustack.AppInternal, BotUser: "U0WRAPUP"}}, "U0WRAPUP", 20},
		{&emustack.World{Slack: emustack.SlackWorld{App: emustack.AppDistributed}}, "U0EMUBOT", 15},
	} {
		stack := emustack.New(emustack.Options{World: tc.world})
		if err := stack.Seed(&archive.Archive{Channel: archive.Channel{ID: "C1", Name: "incident", Members: []string{tc.bot}}, Messages: msgs}); err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(stack)
		api := slack.New("xoxb-test", slack.OptionAPIURL(srv.URL+"/api/"))
		auth, err := api.AuthTest()
		if err != nil || auth.UserID != tc.bot {
			t.Errorf("world %+v: bot %q, %v; want %s", tc.world, auth.UserID, err, tc.bot)
		}
		resp, err := api.GetConversationHistory(&slack.GetConversationHistoryParameters{ChannelID: "C1", Limit: 100})
		if err != nil || len(resp.Messages) != tc.pageSize {
			t.Errorf("world %+v: a page of %d, %v; want %d", tc.world, len(resp.Messages), err, tc.pageSize)
		}
		srv.Close()
	}
}
