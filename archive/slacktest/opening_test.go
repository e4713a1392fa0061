package slacktest_test

import (
	"encoding/json"
	"net/url"
	"testing"

	"github.com/wrapup/wrapup/archive/slacktest"
)

// TestChannelOpening pins the checks that every channel method makes
// before its own work, and their order: the scope the method needs
// whatever the channel (chat:write, pins:read, bookmarks:read) comes
// before the lookup; the scope of the channel's type (channels:* for a
// public channel, groups:* for a private one, as each method's "scopes"
// in the method docs list them) comes after it, so a channel the caller
// cannot see is channel_not_found whatever its scopes; and
// conversations.join refuses a private channel before any scope
// ("method_not_supported_for_channel_type" in its docs).
func TestChannelOpening(t *testing.T) {
	tests := []struct {
		method  string
		scopes  []string
		channel string
		want    string // error code, "" for ok
		needed  string // missing_scope's needed scope
	}{
		{"chat.postMessage", []string{}, "CX", "missing_scope", "chat:write"},
		{"pins.list", []string{}, "CX", "missing_scope", "pins:read"},
		{"conversations.info", []string{}, "CX", "channel_not_found", ""},
		{"conversations.info", []string{"channels:read"}, "G1", "missing_scope", "groups:read"},
		{"conversations.info", []string{"groups:read"}, "C1", "missing_scope", "channels:read"},
		{"conversations.history", []string{"channels:history"}, "G2", "channel_not_found", ""},
		{"conversations.archive", []string{"groups:write"}, "C1", "missing_scope", "channels:manage"},
		{"conversations.archive", []string{"channels:write"}, "C1", "", ""},
		{"conversations.archive", []string{"groups:write"}, "G1", "", ""},
		{"conversations.join", []string{}, "G1", "method_not_supported_for_channel_type", ""},
		{"conversations.join", []string{}, "C2", "missing_scope", "channels:join"},
		{"bookmarks.list", []string{"bookmarks:read"}, "G2", "channel_not_found", ""},
		{"chat.postMessage", []string{"chat:write"}, "#general1", "", ""},
		{"chat.getPermalink", []string{}, "C1", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.channel, func(t *testing.T) {
			// C1 and G1 have the bot as a member, C2 and G2 do not; G1 and
			// G2 are private.
			c1, c2 := channelArchive(t, "C1", "general1", 2), channelArchive(t, "C2", "other", 2)
			g1, g2 := channelArchive(t, "G1", "priv1", 2), channelArchive(t, "G2", "priv2", 2)
			g1.Channel.Private, g2.Channel.Private = true, true
			c2.Channel.Members, g2.Channel.Members = []string{"U1"}, []string{"U1"}
			_, u, _ := start(t, slacktest.Options{Tokens: map[string]slacktest.Token{"tok": {Scopes: tt.scopes}}}, "tok", c1, c2, g1, g2)
			form := url.Values{"token": {"tok"}, "channel": {tt.channel}, "channel_id": {tt.channel}, "text": {"hi"},
				"message_ts": {sec(0).String()}}
			body := postForm(t, u+"/api/"+tt.method, form.Encode())
			var got struct {
				OK     bool   `json:"ok"`
				Error  string `json:"error"`
				Needed string `json:"needed"`
			}
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatalf("%v: %s", err, body)
			}
			if got.Error != tt.want || got.Needed != tt.needed || got.OK != (tt.want == "") {
				t.Errorf("got %s; want error %q needed %q", body, tt.want, tt.needed)
			}
		})
	}
}
