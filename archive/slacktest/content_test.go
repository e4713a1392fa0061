package slacktest_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/slack-go/slack"
	"github.com/wrapup/wrapup/archive/slacktest"
)

// Slack's chat.update documentation lists "msg_too_long: Message text is
// too long" (slack_kit's chat.update.json, mirroring the method page).
// Where it starts: F3-Nation/archive-slackblast#64, "User is able to
// successfully post a new backblast with long text, but when you attempt
// to edit [it] ... chat.update ... {'ok': False, 'error': 'msg_too_long'}";
// seratch/ChatGPT-in-Slack#102 (a Slack SDK maintainer): "the 40K
// truncation is an old requirement and the platform now has a smaller
// limit for the text data. If your app generates 4K text, indeed posting
// the message could result in the error." ../shared/DESIGN.md "The
// emulator" sets it at 4,000 characters for chat.update.
func TestUpdateTextLimit(t *testing.T) {
	_, _, c := start(t, slacktest.Options{}, "xoxb-1", channelArchive(t, "C1", "incident", 1))
	_, ts, err := c.PostMessage("C1", slack.MsgOptionText("short", false))
	if err != nil {
		t.Fatal(err)
	}
	// Characters, not bytes: 4,000 three-byte runes still fit.
	at := strings.Repeat("é", 4000)
	if _, _, _, err := c.UpdateMessage("C1", ts, slack.MsgOptionText(at, false)); err != nil {
		t.Fatalf("update with 4,000 characters: %v", err)
	}
	_, _, _, err = c.UpdateMessage("C1", ts, slack.MsgOptionText(at+"x", false))
	if got := slackCode(err); got != "msg_too_long" {
		t.Errorf("update with 4,001 characters: %q, want msg_too_long", got)
	}
	if got := newest(t, c, "C1").Text; got != at {
		t.Errorf("the refused update changed the text to %d characters", utf8.RuneCountInString(got))
	}
}

// Slack's changelog, "Truncating really long messages"
// (api.slack.com/changelog/2018-04-truncating-really-long-messages): "On
// August 12, 2018 we started truncating messages containing more than
// 40,000 characters", answering with the message_truncated warning
// "[WARN] Your message was truncated but still posted."
func TestPostTruncatesLongText(t *testing.T) {
	_, u, c := start(t, slacktest.Options{}, "xoxb-1", channelArchive(t, "C1", "incident", 1))
	long := strings.Repeat("ab", 20_001)
	body := postForm(t, u+"/api/chat.postMessage", url.Values{"token": {"xoxb-1"}, "channel": {"C1"}, "text": {long}}.Encode())
	var resp struct {
		OK               bool   `json:"ok"`
		Warning          string `json:"warning"`
		ResponseMetadata struct {
			Warnings []string `json:"warnings"`
		} `json:"response_metadata"`
		Message struct{ Text string } `json:"message"`
	}
	if err := json.Unmarshal([]byte(body), &resp); err != nil {
		t.Fatal(err)
	}
	if !resp.OK || resp.Warning != "message_truncated" || !cmp.Equal(resp.ResponseMetadata.Warnings, []string{"message_truncated"}) {
		t.Errorf("post of 40,002 characters: %.300s", body)
	}
	if got := newest(t, c, "C1").Text; got != long[:40_000] {
		t.Errorf("history keeps %d characters, want the first 40,000", len(got))
	}
	// Characters, not bytes: two-byte runes are cut at 40,000 runes.
	wide := strings.Repeat("é", 40_001)
	if _, _, err := c.PostMessage("C1", slack.MsgOptionText(wide, false)); err != nil {
		t.Fatal(err)
	}
	if got := newest(t, c, "C1").Text; got != wide[:80_000] {
		t.Errorf("history keeps %d characters of two bytes, want the first 40,000", utf8.RuneCountInString(got))
	}
	// At the limit nothing is cut and nothing is said.
	body = postForm(t, u+"/api/chat.postMessage", url.Values{"token": {"xoxb-1"}, "channel": {"C1"}, "text": {long[:40_000]}}.Encode())
	if contains(body, "message_truncated") {
		t.Errorf("post of 40,000 characters warned: %.300s", body)
	}
}

// Slack's Block Kit reference (docs.slack.dev/reference/block-kit/blocks):
// "You can include up to 50 blocks in each message"; chat.postMessage documents "invalid_blocks: Blocks submitted
// with this message are not valid." Stricter where unclear: chat.update
// refuses the same.
func TestBlockLimit(t *testing.T) {
	_, _, c := start(t, slacktest.Options{}, "xoxb-1", channelArchive(t, "C1", "incident", 1))
	blocks := func(n int) slack.MsgOption {
		var bs []slack.Block
		for range n {
			bs = append(bs, slack.NewDividerBlock())
		}
		return slack.MsgOptionBlocks(bs...)
	}
	_, ts, err := c.PostMessage("C1", slack.MsgOptionText("fifty", false), blocks(50))
	if err != nil {
		t.Fatalf("post with 50 blocks: %v", err)
	}
	_, _, err = c.PostMessage("C1", slack.MsgOptionText("fifty-one", false), blocks(51))
	if got := slackCode(err); got != "invalid_blocks" {
		t.Errorf("post with 51 blocks: %q, want invalid_blocks", got)
	}
	_, _, _, err = c.UpdateMessage("C1", ts, slack.MsgOptionText("fifty-one", false), blocks(51))
	if got := slackCode(err); got != "invalid_blocks" {
		t.Errorf("update with 51 blocks: %q, want invalid_blocks", got)
	}
}

// The metadata format. Slack's chat.postMessage documents
// "invalid_metadata_format: Invalid metadata format provided." and
// "invalid_metadata_schema: Invalid metadata schema provided.", and its
// metadata guide says "Metadata always includes an event_type and an
// event_payload" (docs.slack.dev/messaging/message-metadata/
// designing-metadata-event-schema). Slack's own SDK types (@slack/types
// message-metadata.d.ts, MessageMetadata and
// MessageMetadataEventPayloadObject)
// allow payload values of string | number | boolean or flat objects
// ({[key]: string | number | boolean}); anything deeper is refused.
// ../shared/DESIGN.md also allows flat arrays of scalars, and, stricter
// than the SDK type, no arrays of objects.
func TestMetadataFormat(t *testing.T) {
	for _, tc := range []struct {
		name, metadata, want string
	}{
		{"scalars", `{"event_type":"t","event_payload":{"s":"x","n":1.5,"b":true}}`, ""},
		{"flat object", `{"event_type":"t","event_payload":{"o":{"a":"x","b":2}}}`, ""},
		{"flat array", `{"event_type":"t","event_payload":{"a":["OPS-1","OPS-2",3]}}`, ""},
		{"empty payload", `{"event_type":"t","event_payload":{}}`, ""},
		{"object in an object", `{"event_type":"t","event_payload":{"o":{"a":{"b":"x"}}}}`, "invalid_metadata_format"},
		{"array in an object", `{"event_type":"t","event_payload":{"o":{"a":["x"]}}}`, "invalid_metadata_format"},
		{"object in an array", `{"event_type":"t","event_payload":{"a":[{"k":"x"}]}}`, "invalid_metadata_format"},
		{"array in an array", `{"event_type":"t","event_payload":{"a":[["x"]]}}`, "invalid_metadata_format"},
		{"null value", `{"event_type":"t","event_payload":{"a":null}}`, "invalid_metadata_format"},
		{"payload not an object", `{"event_type":"t","event_payload":["x"]}`, "invalid_metadata_format"},
		{"not JSON", `{"event_type":`, "invalid_metadata_format"},
		{"no event_type", `{"event_payload":{"a":"x"}}`, "invalid_metadata_schema"},
		{"empty event_type", `{"event_type":"","event_payload":{"a":"x"}}`, "invalid_metadata_schema"},
		{"no event_payload", `{"event_type":"t"}`, "invalid_metadata_schema"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, u, _ := start(t, slacktest.Options{}, "xoxb-1", channelArchive(t, "C1", "incident", 1))
			post := postForm(t, u+"/api/chat.postMessage", url.Values{"token": {"xoxb-1"}, "channel": {"C1"},
				"text": {"x"}, "metadata": {tc.metadata}}.Encode())
			if got := errorOf(t, post); got != tc.want {
				t.Errorf("chat.postMessage: error %q, want %q", got, tc.want)
			}
			// The same check on update, of a message posted without metadata.
			ok := postForm(t, u+"/api/chat.postMessage", url.Values{"token": {"xoxb-1"}, "channel": {"C1"}, "text": {"x"}}.Encode())
			var p struct{ TS string }
			_ = json.Unmarshal([]byte(ok), &p)
			upd := postForm(t, u+"/api/chat.update", url.Values{"token": {"xoxb-1"}, "channel": {"C1"}, "ts": {p.TS},
				"text": {"y"}, "metadata": {tc.metadata}}.Encode())
			if got := errorOf(t, upd); got != tc.want {
				t.Errorf("chat.update: error %q, want %q", got, tc.want)
			}
		})
	}
}

// Slack's chat.update documentation, metadata argument: "If you don't
// include this field, the message's previous metadata will be retained.
// To remove previous metadata, include an empty object for this field."
func TestUpdateRemovesMetadata(t *testing.T) {
	srv, u, c := start(t, slacktest.Options{}, "xoxb-1", channelArchive(t, "C1", "incident", 1))
	md := slack.SlackMetadata{EventType: "wrapup_ledger", EventPayload: map[string]any{"run": "r1"}}
	_, ts, err := c.PostMessage("C1", slack.MsgOptionText("x", false), slack.MsgOptionMetadata(md))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := c.UpdateMessage("C1", ts, slack.MsgOptionText("kept", false)); err != nil {
		t.Fatal(err)
	}
	if got := newestWithMeta(t, c, "C1").Metadata; !cmp.Equal(got, md) {
		t.Errorf("update without metadata: metadata %v, want the old %v", got, md)
	}
	if got := posted(t, srv)[0].Metadata; got == nil {
		t.Errorf("state's posted message lost its metadata")
	}
	body := postForm(t, u+"/api/chat.update", url.Values{"token": {"xoxb-1"}, "channel": {"C1"}, "ts": {ts},
		"text": {"gone"}, "metadata": {"{}"}}.Encode())
	if got := errorOf(t, body); got != "" {
		t.Fatalf("update with metadata {}: %s", got)
	}
	if m := newestWithMeta(t, c, "C1"); m.Text != "gone" || m.Metadata.EventType != "" {
		t.Errorf("after update with metadata {}: text %q, metadata %v", m.Text, m.Metadata)
	}
	if got := posted(t, srv)[0].Metadata; got != nil {
		t.Errorf("state's posted message keeps metadata %s", got)
	}
}

// newest returns the channel's newest top-level message.
func newest(tb testing.TB, c *slack.Client, channel string) slack.Message {
	tb.Helper()
	resp, err := c.GetConversationHistory(&slack.GetConversationHistoryParameters{ChannelID: channel, Limit: 1})
	if err != nil {
		tb.Fatal(err)
	}
	return resp.Messages[0]
}

// newestWithMeta is newest with include_all_metadata.
func newestWithMeta(tb testing.TB, c *slack.Client, channel string) slack.Message {
	tb.Helper()
	resp, err := c.GetConversationHistory(&slack.GetConversationHistoryParameters{ChannelID: channel, Limit: 1, IncludeAllMetadata: true})
	if err != nil {
		tb.Fatal(err)
	}
	return resp.Messages[0]
}

// errorOf returns the error code of a wire answer, "" for ok.
func errorOf(tb testing.TB, body string) string {
	tb.Helper()
	var r struct {
		OK    bool   `json:"ok"`
		Error string `json:"error"`
	}
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		tb.Fatalf("%v: %.200s", err, body)
	}
	if !r.OK && r.Error == "" {
		return fmt.Sprintf("not ok without an error: %.200s", body)
	}
	return r.Error
}

// postedState is one entry of the admin state's posted list.
type postedState struct {
	Channel, Text, TS, User string
	BotID                   string          `json:"bot_id"`
	ThreadTS                string          `json:"thread_ts"`
	Metadata                json.RawMessage `json:"metadata"`
}

// posted returns the admin state's posted list.
func posted(tb testing.TB, srv *slacktest.Server) []postedState {
	tb.Helper()
	b, err := json.Marshal(srv.Admin().State()["slack"])
	if err != nil {
		tb.Fatal(err)
	}
	var st struct{ Posted []postedState }
	if err := json.Unmarshal(b, &st); err != nil {
		tb.Fatal(err)
	}
	return st.Posted
}
