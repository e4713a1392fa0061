package preflight_test

import (
	"context"
	"strings"
	"testing"

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/slacktest"
	"github.com/wrapup/wrapup/internal/config"
	"github.com/wrapup/wrapup/internal/emustack"
	"github.com/wrapup/wrapup/internal/preflight"
)

// TestCheckAnnounceChannel: wrapup reads and posts only where it is a
// member (conversations.history's not_in_channel), joins a public channel
// itself, and cannot join a private one (method_not_supported_for_channel_type)
// or an archived one (is_archived); check says which case
// close.announce_channel is.
func TestCheckAnnounceChannel(t *testing.T) {
	s := emustack.New(emustack.Options{Slack: func(o *slacktest.Options) { o.Tokens = map[string]slacktest.Token{"xoxb-all": {}} }})
	for _, ch := range []archive.Channel{
		{ID: "C1", Name: "postmortems-member", Members: []string{"U0EMUBOT"}},
		{ID: "C2", Name: "postmortems-public"},
		{ID: "G3", Name: "postmortems-private", Private: true, Members: []string{"U1"}},
		{ID: "G4", Name: "postmortems-private-member", Private: true, Members: []string{"U0EMUBOT"}},
		{ID: "C5", Name: "postmortems-old", Archived: true, Members: []string{"U0EMUBOT"}},
	} {
		if err := s.Seed(&archive.Archive{Channel: ch}); err != nil {
			t.Fatal(err)
		}
	}
	base := serve(t, s)
	for _, tt := range []struct {
		channel, status, says string
	}{
		{"postmortems-member", "ok", "is a member"},
		{"#postmortems-public", "ok", "joins it"},
		{"postmortems-private", "failed", "no channel #postmortems-private"}, // Slack does not show it to the app
		{"postmortems-private-member", "ok", "is a member"},
		{"postmortems-old", "failed", "archived"},
		{"nowhere", "failed", "no channel #nowhere"},
	} {
		cfg := config.Default()
		cfg.Slack.APIURL, cfg.Close.AnnounceChannel = base, tt.channel
		r := preflight.Run(context.Background(), cfg, func(k string) string { return map[string]string{"SLACK_TOKEN": "xoxb-all"}[k] }, preflight.Options{})
		var got *preflight.Check
		for i, c := range r.Checks {
			if c.Name == "slack.announce_channel" {
				got = &r.Checks[i]
			}
		}
		if got == nil {
			t.Fatalf("%s: no announce check in %+v", tt.channel, r.Checks)
		}
		if string(got.Status) != tt.status || !strings.Contains(got.Detail, tt.says) {
			t.Errorf("%s: %s %q, want %s saying %q", tt.channel, got.Status, got.Detail, tt.status, tt.says)
		}
		if tt.status == "failed" && got.Fix == "" {
			t.Errorf("%s: no fix given", tt.channel)
		}
	}
}

// TestCheckUnmapped: on Jira Cloud, which hides most e-mails, check names
// the Slack handles tracker.jira.users does not map (people, not bots).
func TestCheckUnmapped(t *testing.T) {
	s := emustack.New(emustack.Options{Slack: func(o *slacktest.Options) { o.Tokens = map[string]slacktest.Token{"xoxb-all": {}} }})
	if err := s.Seed(&archive.Archive{Channel: archive.Channel{ID: "C1", Name: "incident-x"}, Users: []*archive.User{
		{ID: "U1", Name: "alice"}, {ID: "U2", Name: "bob"}, {ID: "U3", Name: "carol"}, {ID: "UB", Name: "opsbot", IsBot: true},
	}}); err != nil {
		t.Fatal(err)
	}
	base := serve(t, s)
	cfg := config.Default()
	cfg.Slack.APIURL, cfg.Tracker.Kind, cfg.Tracker.Jira.URL = base, "jira", base
	cfg.Tracker.Jira.Users = map[string]string{"alice": "557058:alice"}
	env := map[string]string{"SLACK_TOKEN": "xoxb-all", "JIRA_USER": "bot@example.com", "JIRA_TOKEN": "t"}
	r := preflight.Run(context.Background(), cfg, func(k string) string { return env[k] }, preflight.Options{})
	for _, c := range r.Checks {
		if c.Name == "jira.unmapped" {
			if !strings.Contains(c.Detail, "2 Slack handles have no accountId") || !strings.Contains(c.Detail, "bob, carol") || strings.Contains(c.Detail, "opsbot") {
				t.Errorf("detail %q", c.Detail)
			}
			return
		}
	}
	t.Errorf("no jira.unmapped check in %+v", r.Checks)
}
