package slacktest_test

import (
	"testing"

	"github.com/slack-go/slack"
	"github.com/wrapup/wrapup/archive/slacktest"
)

// Slack's chat.delete documentation (docs.slack.dev/reference/methods/
// chat.delete): "When used with a bot token, this
// method may delete only messages posted by that bot", with the errors
// "cant_delete_message: Authenticated user does not have permission to
// delete this message" and "message_not_found: No message exists with
// the requested timestamp". A deleted message leaves history, and
// ../shared/DESIGN.md "The emulator": "posted lists every message posted
// through the API and not deleted".
func TestChatDelete(t *testing.T) {
	srv, _, c := start(t, slacktest.Options{}, "xoxb-1", channelArchive(t, "C1", "incident", 2))
	_, keep, err := c.PostMessage("C1", slack.MsgOptionText("keep", false))
	if err != nil {
		t.Fatal(err)
	}
	_, gone, err := c.PostMessage("C1", slack.MsgOptionText("gone", false))
	if err != nil {
		t.Fatal(err)
	}
	if ch, ts, err := c.DeleteMessage("C1", gone); err != nil || ch != "C1" || ts != gone {
		t.Fatalf("delete: channel %q ts %q, %v", ch, ts, err)
	}
	if got := newest(t, c, "C1").Timestamp; got != keep {
		t.Errorf("newest message after the delete is %s, want %s", got, keep)
	}
	if p := posted(t, srv); len(p) != 1 || p[0].TS != keep {
		t.Errorf("state's posted after the delete: %+v", p)
	}
	for _, tc := range []struct {
		name, ts, want string
	}{
		{"again", gone, "message_not_found"},
		{"unknown", "1.000001", "message_not_found"},
		{"someone else's", sec(0).String(), "cant_delete_message"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := c.DeleteMessage("C1", tc.ts)
			if got := slackCode(err); got != tc.want {
				t.Errorf("error %q, want %q", got, tc.want)
			}
		})
	}
	if _, _, err := c.DeleteMessage("C1", keep); err != nil {
		t.Fatal(err)
	}
	if p := posted(t, srv); len(p) != 0 {
		t.Errorf("state's posted after deleting both: %+v", p)
	}
}

// A deleted reply leaves its thread, and the parent's reply fields follow,
// as they follow a new reply.
func TestChatDeleteReply(t *testing.T) {
	_, _, c := start(t, slacktest.Options{}, "xoxb-1", threadArchive(t, "C1", 2))
	_, ts, err := c.PostMessage("C1", slack.MsgOptionText("late reply", false), slack.MsgOptionTS(sec(0).String()))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.DeleteMessage("C1", ts); err != nil {
		t.Fatal(err)
	}
	msgs, _, _, err := c.GetConversationReplies(&slack.GetConversationRepliesParameters{ChannelID: "C1", Timestamp: sec(0).String()})
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 3 || msgs[0].ReplyCount != 2 || msgs[0].LatestReply != sec(2).String() {
		t.Errorf("thread after deleting the reply: %d messages, reply_count %d, latest_reply %s",
			len(msgs), msgs[0].ReplyCount, msgs[0].LatestReply)
	}
}

// A bot's own thread parent, deleted with its replies in place, stays as
// Slack's tombstone ("This message was deleted.") so the replies keep
// their thread.
func TestChatDeleteParent(t *testing.T) {
	_, _, c := start(t, slacktest.Options{}, "xoxb-1", channelArchive(t, "C1", "incident", 1))
	_, parent, err := c.PostMessage("C1", slack.MsgOptionText("parent", false))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.PostMessage("C1", slack.MsgOptionText("reply", false), slack.MsgOptionTS(parent)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.DeleteMessage("C1", parent); err != nil {
		t.Fatal(err)
	}
	m := newest(t, c, "C1")
	if m.Timestamp != parent || m.SubType != "tombstone" {
		t.Errorf("deleted parent in history: ts %s subtype %q, want a tombstone at %s", m.Timestamp, m.SubType, parent)
	}
	msgs, _, _, err := c.GetConversationReplies(&slack.GetConversationRepliesParameters{ChannelID: "C1", Timestamp: parent})
	if err != nil || len(msgs) != 2 || msgs[1].Text != "reply" {
		t.Errorf("thread of the deleted parent: %d messages, %v", len(msgs), err)
	}
}
