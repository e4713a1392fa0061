package slacktest_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/slack-go/slack"
	"github.com/wrapup/wrapup/archive/slacktest"
)

// readHistory pages through a channel's history and returns the texts in
// the order served and the number of calls.
func readHistory(t *testing.T, c *slack.Client, p slack.GetConversationHistoryParameters) (texts []string, calls int) {
	t.Helper()
	for {
		resp, err := c.GetConversationHistory(&p)
		if err != nil {
			t.Fatalf("conversations.history: %v", err)
		}
		calls++
		for _, m := range resp.Messages {
			texts = append(texts, m.Text)
		}
		if resp.HasMore != (resp.ResponseMetaData.NextCursor != "") {
			t.Fatalf("has_more %v with next_cursor %q", resp.HasMore, resp.ResponseMetaData.NextCursor)
		}
		if !resp.HasMore {
			return texts, calls
		}
		p.Cursor = resp.ResponseMetaData.NextCursor
		if calls > 1000 {
			t.Fatal("pagination does not end")
		}
	}
}

func newestFirst(from, to int) []string {
	var out []string
	for i := to; i >= from; i-- {
		out = append(out, fmt.Sprintf("m%d", i))
	}
	return out
}

func TestHistoryPagination(t *testing.T) {
	const limit = 5
	for _, n := range []int{0, 1, limit, limit + 1, 3*limit + 2} {
		t.Run(fmt.Sprintf("%d messages", n), func(t *testing.T) {
			_, _, c := start(t, slacktest.Options{}, "xoxb-1", channelArchive(t, "C1", "incident", n))
			texts, calls := readHistory(t, c, slack.GetConversationHistoryParameters{ChannelID: "C1", Limit: limit})
			if diff := cmp.Diff(newestFirst(0, n-1), texts); diff != "" {
				t.Errorf("messages (-want +got):\n%s", diff)
			}
			wantCalls := max(1, (n+limit-1)/limit)
			if calls != wantCalls {
				t.Errorf("%d calls, want %d", calls, wantCalls)
			}
		})
	}
}

func TestHistoryLimits(t *testing.T) {
	_, _, c := start(t, slacktest.Options{}, "xoxb-1", channelArchive(t, "C1", "incident", 1200))
	for _, tc := range []struct {
		name  string
		limit int
		want  int
	}{
		{"default", 0, 100},
		{"max", 999, 999},
		{"over max", 5000, 999},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := c.GetConversationHistory(&slack.GetConversationHistoryParameters{ChannelID: "C1", Limit: tc.limit})
			if err != nil {
				t.Fatal(err)
			}
			if len(resp.Messages) != tc.want || !resp.HasMore {
				t.Errorf("%d messages, has_more %v; want %d and true", len(resp.Messages), resp.HasMore, tc.want)
			}
		})
	}
}

func TestHistoryWindow(t *testing.T) {
	_, _, c := start(t, slacktest.Options{}, "xoxb-1", channelArchive(t, "C1", "incident", 10))
	for _, tc := range []struct {
		name           string
		oldest, latest string
		inclusive      bool
		want           []string
	}{
		{"oldest exclusive", sec(7).String(), "", false, newestFirst(8, 9)},
		{"oldest inclusive", sec(7).String(), "", true, newestFirst(7, 9)},
		{"latest exclusive", "", sec(2).String(), false, newestFirst(0, 1)},
		{"latest inclusive", "", sec(2).String(), true, newestFirst(0, 2)},
		{"both exclusive", sec(3).String(), sec(6).String(), false, newestFirst(4, 5)},
		{"both inclusive", sec(3).String(), sec(6).String(), true, newestFirst(3, 6)},
		{"between messages", "1700000003.5", "1700000005.5", false, newestFirst(4, 5)},
		{"empty range", sec(6).String(), sec(3).String(), true, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			texts, _ := readHistory(t, c, slack.GetConversationHistoryParameters{ChannelID: "C1",
				Oldest: tc.oldest, Latest: tc.latest, Inclusive: tc.inclusive, Limit: 2})
			if diff := cmp.Diff(tc.want, texts); diff != "" {
				t.Errorf("messages (-want +got):\n%s", diff)
			}
		})
	}
}

func TestHistoryRaw(t *testing.T) {
	// The emulator hands out the message's own JSON, fields the model does
	// not type included.
	_, url, _ := start(t, slacktest.Options{}, "xoxb-1", channelArchive(t, "C1", "incident", 1))
	body := postForm(t, url+"/api/conversations.history", "token=xoxb-1&channel=C1")
	if !contains(body, `"client_msg_id":"cm-1700000000.000000"`) {
		t.Errorf("the message's untyped field is missing from %s", body)
	}
}

func TestHistoryBadArguments(t *testing.T) {
	_, _, c := start(t, slacktest.Options{}, "xoxb-1", channelArchive(t, "C1", "incident", 3))
	for _, tc := range []struct {
		name string
		p    slack.GetConversationHistoryParameters
		want string
	}{
		{"bad cursor", slack.GetConversationHistoryParameters{ChannelID: "C1", Cursor: "!!!"}, "invalid_cursor"},
		{"foreign cursor", slack.GetConversationHistoryParameters{ChannelID: "C1", Cursor: "bm9wZQ=="}, "invalid_cursor"},
		{"bad oldest", slack.GetConversationHistoryParameters{ChannelID: "C1", Oldest: "yesterday"}, "invalid_ts_oldest"},
		{"bad latest", slack.GetConversationHistoryParameters{ChannelID: "C1", Latest: "1.2.3"}, "invalid_ts_latest"},
		{"unknown channel", slack.GetConversationHistoryParameters{ChannelID: "C404"}, "channel_not_found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.GetConversationHistory(&tc.p)
			if got := slackCode(err); got != tc.want {
				t.Errorf("error %q, want %q", got, tc.want)
			}
		})
	}
}
