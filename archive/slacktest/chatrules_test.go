package slacktest_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/slack-go/slack"
	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/slacktest"
)

// Who may write where. chat.postMessage's documentation (method-docs
// chat.postMessage.json): "not_in_channel: Cannot post user messages to a
// channel they are not in" and "is_archived: Channel has been archived".
// chat.update's: "cant_update_message: Authenticated user does not have
// permission to update this message" and "is_inactive: The message cannot
// be edited within a frozen, archived or deleted channel", the code
// ../shared/DESIGN.md "The emulator" gives for an update after archiving.
func TestWhoMayWrite(t *testing.T) {
	joined := channelArchive(t, "C1", "incident", 1)
	joined.Channel.Members = []string{"U0EMUBOT", "U1"}
	other := channelArchive(t, "C2", "elsewhere", 1)
	other.Channel.Members = []string{"U1"}
	_, _, c := start(t, slacktest.Options{}, "xoxb-1", joined, other)
	_, ts, err := c.PostMessage("C1", slack.MsgOptionText("wrap-up", false))
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name string
		call func() error
		want string
	}{
		{"post where the bot is not a member", func() error {
			_, _, err := c.PostMessage("C2", slack.MsgOptionText("x", false))
			return err
		}, "not_in_channel"},
		{"update someone else's message", func() error {
			_, _, _, err := c.UpdateMessage("C1", sec(0).String(), slack.MsgOptionText("x", false))
			return err
		}, "cant_update_message"},
		{"archive", func() error { return c.ArchiveConversation("C1") }, ""},
		{"post after archiving", func() error {
			_, _, err := c.PostMessage("C1", slack.MsgOptionText("x", false))
			return err
		}, "is_archived"},
		{"update after archiving", func() error {
			_, _, _, err := c.UpdateMessage("C1", ts, slack.MsgOptionText("x", false))
			return err
		}, "is_inactive"},
	}
	for _, st := range steps {
		if got := slackCode(st.call()); got != st.want {
			t.Errorf("%s: error %q, want %q", st.name, got, st.want)
		}
	}
}

// ../shared/DESIGN.md "The emulator": "Without include_all_metadata,
// history keeps event_type and drops the payload." (Slack's
// conversations.history and conversations.replies document
// include_all_metadata as "Return all metadata associated with this
// message.") Both for a seeded message and one posted through the API,
// in history and in a thread.
func TestMetadataWithoutPayload(t *testing.T) {
	seeded := newMessage(t, map[string]any{"ts": sec(0), "user": "U1", "text": "seeded", "thread_ts": sec(0), "reply_count": 0,
		"metadata": map[string]any{"event_type": "incident_declared", "event_payload": map[string]any{"sev": "2"}}})
	a := channelArchive(t, "C1", "incident", 0)
	a.Messages = []*archive.Message{seeded}
	_, u, c := start(t, slacktest.Options{}, "xoxb-1", a)
	md := slack.SlackMetadata{EventType: "wrapup_ledger", EventPayload: map[string]any{"tickets": []any{"OPS-1"}}}
	_, reply, err := c.PostMessage("C1", slack.MsgOptionText("reply", false), slack.MsgOptionTS(sec(0).String()),
		slack.MsgOptionMetadata(md))
	if err != nil {
		t.Fatal(err)
	}
	type view struct {
		TS        string
		EventType string
		Payload   map[string]any
	}
	views := func(msgs []slack.Message) []view {
		var out []view
		for _, m := range msgs {
			out = append(out, view{m.Timestamp, m.Metadata.EventType, m.Metadata.EventPayload})
		}
		return out
	}
	for _, all := range []bool{false, true} {
		want := []view{{sec(0).String(), "incident_declared", nil}, {reply, "wrapup_ledger", nil}}
		if all {
			want[0].Payload = map[string]any{"sev": "2"}
			want[1].Payload = md.EventPayload
		}
		msgs, _, _, err := c.GetConversationReplies(&slack.GetConversationRepliesParameters{ChannelID: "C1",
			Timestamp: sec(0).String(), IncludeAllMetadata: all})
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, views(msgs)); d != "" {
			t.Errorf("replies, include_all_metadata %v (-want +got):\n%s", all, d)
		}
		resp, err := c.GetConversationHistory(&slack.GetConversationHistoryParameters{ChannelID: "C1", IncludeAllMetadata: all})
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want[:1], views(resp.Messages)); d != "" {
			t.Errorf("history, include_all_metadata %v (-want +got):\n%s", all, d)
		}
	}
	// On the wire, the payload is gone, not empty.
	body := postForm(t, u+"/api/conversations.history", "token=xoxb-1&channel=C1")
	if !contains(body, `"metadata":{"event_type":"incident_declared"}`) {
		t.Errorf("metadata without include_all_metadata: %s", body)
	}
}
