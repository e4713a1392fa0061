package main

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/wrapup/wrapup/internal/demo"
)

func writeWorld(t *testing.T, src string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "world.yaml")
	if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestEmulatorWorld: --world's Slack part reaches the emulator: the bot's
// user ID, and a distributed app's 15-message pages and 1 call a minute.
func TestEmulatorWorld(t *testing.T) {
	world := writeWorld(t, "slack:\n  app: distributed\n  bot_user: U0WRAPUP\n")
	base := startEmulator(t, "--demo", "--world", world)
	api := slack.New("xoxb-test", slack.OptionAPIURL(base+"/api/"))
	auth, err := api.AuthTest()
	if err != nil || auth.UserID != "U0WRAPUP" {
		t.Fatalf("auth.test user %q, %v; want U0WRAPUP", auth.UserID, err)
	}
	id := demoChannelID(t, api)
	if _, _, _, err := api.JoinConversation(id); err != nil {
		t.Fatal(err)
	}
	resp, err := api.GetConversationHistory(&slack.GetConversationHistoryParameters{ChannelID: id, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Messages) != 15 || !resp.HasMore {
		t.Errorf("history with limit 100: %d messages, has_more %v; want 15 and true", len(resp.Messages), resp.HasMore)
	}
	_, err = api.GetConversationHistory(&slack.GetConversationHistoryParameters{ChannelID: id, Cursor: resp.ResponseMetaData.NextCursor})
	var rl *slack.RateLimitedError
	if !errors.As(err, &rl) || rl.RetryAfter < 50*time.Second {
		t.Errorf("second history call within the minute: %v, want 429 with Retry-After about 60s", err)
	}
}

func TestEmulatorWithoutWorld(t *testing.T) {
	base := startEmulator(t, "--demo")
	api := slack.New("xoxb-test", slack.OptionAPIURL(base+"/api/"))
	id := demoChannelID(t, api)
	if _, _, _, err := api.JoinConversation(id); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		resp, err := api.GetConversationHistory(&slack.GetConversationHistoryParameters{ChannelID: id, Limit: 100})
		if err != nil || len(resp.Messages) <= 15 {
			t.Fatalf("internal app: %v, %d messages; want more than 15 and no limit", err, len(resp.Messages))
		}
	}
}

func TestEmulatorBadWorld(t *testing.T) {
	for src, want := range map[string]string{
		"slack:\n  app: foo\n":            `world.yaml:2: slack.app: "foo" is not one of internal, distributed`,
		"slack:\n  app: internal\nx: 1\n": "world.yaml:3: x: unknown key",
	} {
		world := writeWorld(t, src)
		err := run(context.Background(), []string{"--world", world}, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err = %v, want %q", src, err, want)
		}
	}
	err := run(context.Background(), []string{"--world", filepath.Join(t.TempDir(), "none.yaml")}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "none.yaml") {
		t.Errorf("missing world file: err = %v", err)
	}
}

func demoChannelID(t *testing.T, api *slack.Client) string {
	t.Helper()
	chans, _, err := api.GetConversations(&slack.GetConversationsParameters{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range chans {
		if c.Name == demo.Channel {
			return c.ID
		}
	}
	t.Fatalf("no channel %s", demo.Channel)
	return ""
}
