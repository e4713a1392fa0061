package slacktest_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/slack-go/slack"
	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/slacktest"
)

func TestPostMessageTS(t *testing.T) {
	// The clock is behind the fixtures: posted ts must still come after
	// every message, and strictly increase.
	opts := slacktest.Options{Clock: func() time.Time { return time.Unix(1_600_000_000, 0) }}
	srv, _, c := start(t, opts, "xoxb-1", channelArchive(t, "C1", "incident", 3), channelArchive(t, "C2", "other", 5))
	last := sec(4)
	var want []string
	for i := range 4 {
		ch, ts, err := c.PostMessage("C1", slack.MsgOptionText("hello", false))
		if err != nil {
			t.Fatal(err)
		}
		got := archive.MustTS(ts)
		if ch != "C1" || got <= last {
			t.Fatalf("post %d: channel %s ts %s, want C1 and after %s", i, ch, ts, last)
		}
		last = got
		want = append(want, ts)
	}
	resp, err := c.GetConversationHistory(&slack.GetConversationHistoryParameters{ChannelID: "C1", Limit: 4})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range resp.Messages {
		got = append([]string{m.Timestamp}, got...)
		if m.BotID != "B0EMUBOT" || m.User != "U0EMUBOT" {
			t.Errorf("posted message by user %q bot %q, want the bot", m.User, m.BotID)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("history's newest messages (-want +got):\n%s", diff)
	}
	state := srv.Admin().State()["slack"]
	b, _ := json.Marshal(state)
	var st struct {
		Posted []struct{ Channel, Text, TS string }
	}
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	if len(st.Posted) != 4 || st.Posted[3].TS != want[3] || st.Posted[0].Text != "hello" {
		t.Errorf("state's posted messages: %s", b)
	}
}

func TestMetadataRoundTrip(t *testing.T) {
	_, _, c := start(t, slacktest.Options{}, "xoxb-1", channelArchive(t, "C1", "incident", 2))
	md := slack.SlackMetadata{EventType: "wrapup_ledger", EventPayload: map[string]any{"tickets": []any{"OPS-1"}}}
	_, ts, err := c.PostMessage("C1", slack.MsgOptionText("wrap-up", false), slack.MsgOptionMetadata(md))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		all  bool
		want *slack.SlackMetadata
	}{
		// Without include_all_metadata Slack keeps the event type and
		// drops the payload (see TestMetadataWithoutPayload).
		{"without include_all_metadata", false, &slack.SlackMetadata{EventType: "wrapup_ledger"}},
		{"with include_all_metadata", true, &md},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := c.GetConversationHistory(&slack.GetConversationHistoryParameters{ChannelID: "C1", Limit: 1, IncludeAllMetadata: tc.all})
			if err != nil {
				t.Fatal(err)
			}
			m := resp.Messages[0]
			if m.Timestamp != ts {
				t.Fatalf("newest message %s, want %s", m.Timestamp, ts)
			}
			var got *slack.SlackMetadata
			if m.Metadata.EventType != "" {
				got = &m.Metadata
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("metadata (-want +got):\n%s", diff)
			}
		})
	}
	// chat.update replaces text and metadata in place.
	md2 := slack.SlackMetadata{EventType: "wrapup_ledger", EventPayload: map[string]any{"tickets": []any{"OPS-1", "OPS-2"}, "done": true}}
	if _, _, _, err := c.UpdateMessage("C1", ts, slack.MsgOptionText("wrap-up, done", false), slack.MsgOptionMetadata(md2)); err != nil {
		t.Fatal(err)
	}
	resp, err := c.GetConversationHistory(&slack.GetConversationHistoryParameters{ChannelID: "C1", Limit: 1, IncludeAllMetadata: true})
	if err != nil {
		t.Fatal(err)
	}
	if m := resp.Messages[0]; m.Text != "wrap-up, done" || m.Edited == nil || !cmp.Equal(m.Metadata, md2) {
		t.Errorf("after chat.update: text %q, edited %v, metadata %v", m.Text, m.Edited, m.Metadata)
	}
}

func TestThreadReply(t *testing.T) {
	_, _, c := start(t, slacktest.Options{}, "xoxb-1", threadArchive(t, "C1", 2))
	_, ts, err := c.PostMessage("C1", slack.MsgOptionText("late reply", false), slack.MsgOptionTS(sec(0).String()))
	if err != nil {
		t.Fatal(err)
	}
	msgs, _, _, err := c.GetConversationReplies(&slack.GetConversationRepliesParameters{ChannelID: "C1", Timestamp: sec(0).String()})
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 4 || msgs[3].Timestamp != ts || msgs[0].ReplyCount != 3 || msgs[0].LatestReply != ts {
		t.Errorf("thread after reply: %d messages, last %s, reply_count %d, latest_reply %s",
			len(msgs), msgs[len(msgs)-1].Timestamp, msgs[0].ReplyCount, msgs[0].LatestReply)
	}
	link, err := c.GetPermalink(&slack.PermalinkParameters{Channel: "C1", Ts: ts})
	if err != nil {
		t.Fatal(err)
	}
	want := "https://emulated.slack.com/archives/C1/p" + archive.MustTS(ts).Digits() + "?thread_ts=" + sec(0).String() + "&cid=C1"
	if link != want {
		t.Errorf("permalink %s, want %s", link, want)
	}
	if _, err := c.GetPermalink(&slack.PermalinkParameters{Channel: "C1", Ts: "1.000001"}); slackCode(err) != "message_not_found" {
		t.Errorf("permalink of an unknown message: %v", err)
	}
}

func TestArchiveThenPost(t *testing.T) {
	general := channelArchive(t, "C0", "general", 1)
	general.Channel.General = true
	srv, url, c := start(t, slacktest.Options{}, "xoxb-1", channelArchive(t, "C1", "incident", 1), general)
	if err := c.ArchiveConversation("C1"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		call func() error
		want string
	}{
		{"post", func() error { _, _, err := c.PostMessage("C1", slack.MsgOptionText("x", false)); return err }, "is_archived"},
		{"archive again", func() error { return c.ArchiveConversation("C1") }, "already_archived"},
		{"archive general", func() error { return c.ArchiveConversation("C0") }, "cant_archive_general"},
		{"join", func() error { _, _, _, err := c.JoinConversation("C1"); return err }, "is_archived"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := slackCode(tc.call()); got != tc.want {
				t.Errorf("error %q, want %q", got, tc.want)
			}
		})
	}
	info, err := c.GetConversationInfo(&slack.GetConversationInfoInput{ChannelID: "C1"})
	if err != nil || !info.IsArchived {
		t.Errorf("conversations.info after archive: archived %v, %v", info != nil && info.IsArchived, err)
	}
	resp, err := http.Get(url + "/_emulator/state")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st struct {
		Slack struct {
			Channels []struct {
				ID       string `json:"id"`
				Name     string `json:"name"`
				Archived bool   `json:"is_archived"`
			} `json:"channels"`
		} `json:"slack"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	want := []struct {
		ID       string `json:"id"`
		Name     string `json:"name"`
		Archived bool   `json:"is_archived"`
	}{{"C1", "incident", true}, {"C0", "general", false}}
	if diff := cmp.Diff(want, st.Slack.Channels); diff != "" {
		t.Errorf("state channels (-want +got):\n%s", diff)
	}
	_ = srv
}

func TestPostErrors(t *testing.T) {
	priv := channelArchive(t, "G1", "secret", 1)
	priv.Channel.Private, priv.Channel.Members = true, []string{"U1"}
	pub := channelArchive(t, "C1", "incident", 1)
	pub.Channel.Members = []string{"U1"}
	_, _, c := start(t, slacktest.Options{Restricted: []string{"conversations.archive"}}, "xoxb-1", pub, priv)
	for _, tc := range []struct {
		name string
		call func() error
		want string
	}{
		{"not joined", func() error { _, _, err := c.PostMessage("C1", slack.MsgOptionText("x", false)); return err }, "not_in_channel"},
		{"private, not a member", func() error { _, _, err := c.PostMessage("G1", slack.MsgOptionText("x", false)); return err }, "channel_not_found"},
		{"no text", func() error { _, _, err := c.PostMessage("C1"); return err }, "no_text"},
		{"restricted archive", func() error { return c.ArchiveConversation("C1") }, "restricted_action"},
		{"join private", func() error { _, _, _, err := c.JoinConversation("G1"); return err }, "channel_not_found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := slackCode(tc.call()); got != tc.want {
				t.Errorf("error %q, want %q", got, tc.want)
			}
		})
	}
	// After joining, posting by name works.
	if _, _, _, err := c.JoinConversation("C1"); err != nil {
		t.Fatal(err)
	}
	if _, warning, _, err := c.JoinConversation("C1"); err != nil || warning != "already_in_channel" {
		t.Errorf("second join: warning %q, %v", warning, err)
	}
	if ch, _, err := c.PostMessage("#incident", slack.MsgOptionText("x", false)); err != nil || ch != "C1" {
		t.Errorf("post to #incident: channel %q, %v", ch, err)
	}
}
