package slacktest_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/slack-go/slack"
	"github.com/wrapup/wrapup/archive/slacktest"
)

// readThread pages through a thread; it checks that every page starts with
// the parent and returns the replies' texts and the number of calls.
func readThread(t *testing.T, c *slack.Client, p slack.GetConversationRepliesParameters) (texts []string, calls int) {
	t.Helper()
	for {
		msgs, hasMore, next, err := c.GetConversationReplies(&p)
		if err != nil {
			t.Fatalf("conversations.replies: %v", err)
		}
		calls++
		if len(msgs) == 0 || msgs[0].Timestamp != sec(0).String() {
			t.Fatalf("page %d does not start with the parent: %d messages", calls, len(msgs))
		}
		for _, m := range msgs[1:] {
			texts = append(texts, m.Text)
		}
		if hasMore != (next != "") {
			t.Fatalf("has_more %v with next_cursor %q", hasMore, next)
		}
		if !hasMore {
			return texts, calls
		}
		p.Cursor = next
		if calls > 1000 {
			t.Fatal("pagination does not end")
		}
	}
}

func replyTexts(from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, fmt.Sprintf("r%d", i))
	}
	return out
}

func TestRepliesLongThread(t *testing.T) {
	const n = 2500
	_, _, c := start(t, slacktest.Options{}, "xoxb-1", threadArchive(t, "C1", n))
	texts, calls := readThread(t, c, slack.GetConversationRepliesParameters{ChannelID: "C1", Timestamp: sec(0).String()})
	if diff := cmp.Diff(replyTexts(1, n), texts); diff != "" {
		t.Errorf("replies (-want +got):\n%s", diff)
	}
	// The default limit is 1000 messages a page, the parent among them.
	if calls != 3 {
		t.Errorf("%d calls, want 3", calls)
	}
	// Replies stay out of the channel's history.
	resp, err := c.GetConversationHistory(&slack.GetConversationHistoryParameters{ChannelID: "C1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Messages) != 2 || resp.Messages[1].ReplyCount != n {
		t.Errorf("history holds %d messages (want the parent and one more), parent reply_count %d",
			len(resp.Messages), resp.Messages[len(resp.Messages)-1].ReplyCount)
	}
}

func TestRepliesPaging(t *testing.T) {
	_, _, c := start(t, slacktest.Options{}, "xoxb-1", threadArchive(t, "C1", 7))
	for _, tc := range []struct {
		name   string
		p      slack.GetConversationRepliesParameters
		want   []string
		nCalls int
	}{
		{"small pages", slack.GetConversationRepliesParameters{Limit: 3}, replyTexts(1, 7), 4},
		{"from a reply's ts", slack.GetConversationRepliesParameters{Timestamp: sec(4).String(), Limit: 100}, replyTexts(1, 7), 1},
		{"oldest exclusive", slack.GetConversationRepliesParameters{Oldest: sec(5).String()}, replyTexts(6, 7), 1},
		{"oldest inclusive", slack.GetConversationRepliesParameters{Oldest: sec(5).String(), Inclusive: true}, replyTexts(5, 7), 1},
		{"latest exclusive", slack.GetConversationRepliesParameters{Latest: sec(3).String()}, replyTexts(1, 2), 1},
		{"window inclusive", slack.GetConversationRepliesParameters{Oldest: sec(2).String(), Latest: sec(4).String(), Inclusive: true, Limit: 2}, replyTexts(2, 4), 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.p.ChannelID = "C1"
			if tc.p.Timestamp == "" {
				tc.p.Timestamp = sec(0).String()
			}
			texts, calls := readThread(t, c, tc.p)
			if diff := cmp.Diff(tc.want, texts); diff != "" {
				t.Errorf("replies (-want +got):\n%s", diff)
			}
			if calls != tc.nCalls {
				t.Errorf("%d calls, want %d", calls, tc.nCalls)
			}
		})
	}
}

func TestRepliesErrors(t *testing.T) {
	_, _, c := start(t, slacktest.Options{}, "xoxb-1", threadArchive(t, "C1", 2))
	for _, tc := range []struct {
		name string
		p    slack.GetConversationRepliesParameters
		want string
	}{
		{"unknown ts", slack.GetConversationRepliesParameters{ChannelID: "C1", Timestamp: "1600000000.000001"}, "thread_not_found"},
		{"bad cursor", slack.GetConversationRepliesParameters{ChannelID: "C1", Timestamp: sec(0).String(), Cursor: "%%%"}, "invalid_cursor"},
		{"unknown channel", slack.GetConversationRepliesParameters{ChannelID: "C9", Timestamp: sec(0).String()}, "channel_not_found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, _, err := c.GetConversationReplies(&tc.p)
			if got := slackCode(err); got != tc.want {
				t.Errorf("error %q, want %q", got, tc.want)
			}
		})
	}
}
