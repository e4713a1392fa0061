package slacktest_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/slack-go/slack"
	"github.com/wrapup/wrapup/archive/slacktest"
)

// The restrictions below come from Slack's changelog of May 29, 2025,
// "Rate limit changes for non-Marketplace apps"
// (https://api.slack.com/changelog/2025-05-terms-rate-limit-update-and-faq,
// and the "App types and rate limits" section of
// https://docs.slack.dev/apis/web-api/rate-limits):
//
//	The rate limits for both the conversations.history and
//	conversations.replies API methods are changing from Tier 3 to Tier 1
//	for apps that are not approved for the Slack Marketplace:
//	conversations.history - [...] will be limited to 1 request per
//	minute, unless they are approved for the Slack Marketplace. The
//	maximum and default for the limit parameter has been reduced to 15
//	objects.
//
// and the same for conversations.replies. "Internal customer-built
// applications should not see rate limit changes": slacktest.Options
// without Distributed is the internal app.

// distributedScale runs the distributed app's minute in 10ms.
const distributedScale = 6000

// patient pages through history like readHistory, waiting out the
// distributed app's 1-a-minute limit (10ms at distributedScale) instead of
// Retry-After's whole second.
func patient[T any](t *testing.T, call func() (T, error)) T {
	t.Helper()
	for range 100 {
		v, err := call()
		var rl *slack.RateLimitedError
		if errors.As(err, &rl) {
			time.Sleep(5 * time.Millisecond)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	t.Fatal("still rate limited after 100 tries")
	panic("unreachable")
}

func TestDistributedHistoryPages(t *testing.T) {
	for _, tc := range []struct {
		name        string
		distributed bool
		limit       int
		wantPages   []int
	}{
		{"internal app, limit 100", false, 100, []int{40}},
		{"distributed, limit 100 is clamped", true, 100, []int{15, 15, 10}},
		{"distributed, default limit is 15", true, 0, []int{15, 15, 10}},
		{"distributed, limit 7", true, 7, []int{7, 7, 7, 7, 7, 5}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, c := start(t, slacktest.Options{Distributed: tc.distributed, RateScale: distributedScale},
				"xoxb-1", channelArchive(t, "C1", "incident", 40))
			p := slack.GetConversationHistoryParameters{ChannelID: "C1", Limit: tc.limit}
			var texts []string
			var pages []int
			for {
				resp := patient(t, func() (*slack.GetConversationHistoryResponse, error) { return c.GetConversationHistory(&p) })
				pages = append(pages, len(resp.Messages))
				for _, m := range resp.Messages {
					texts = append(texts, m.Text)
				}
				if resp.HasMore != (resp.ResponseMetaData.NextCursor != "") {
					t.Fatalf("has_more %v with next_cursor %q", resp.HasMore, resp.ResponseMetaData.NextCursor)
				}
				if !resp.HasMore {
					break
				}
				p.Cursor = resp.ResponseMetaData.NextCursor
			}
			if d := cmp.Diff(tc.wantPages, pages); d != "" {
				t.Errorf("page sizes (-want +got):\n%s", d)
			}
			if d := cmp.Diff(newestFirst(0, 39), texts); d != "" {
				t.Errorf("messages (-want +got):\n%s", d)
			}
		})
	}
}

func TestDistributedRepliesPages(t *testing.T) {
	_, _, c := start(t, slacktest.Options{Distributed: true, RateScale: distributedScale}, "xoxb-1", threadArchive(t, "C1", 30))
	p := &slack.GetConversationRepliesParameters{ChannelID: "C1", Timestamp: sec(0).String(), Limit: 1000}
	var replies, pages []int
	for {
		type page struct {
			msgs []slack.Message
			next string
		}
		pg := patient(t, func() (page, error) {
			msgs, _, next, err := c.GetConversationReplies(p)
			return page{msgs, next}, err
		})
		pages = append(pages, len(pg.msgs))
		for _, m := range pg.msgs[1:] { // the parent rides on every page
			var i int
			fmt.Sscanf(m.Text, "r%d", &i)
			replies = append(replies, i)
		}
		if pg.next == "" {
			break
		}
		p.Cursor = pg.next
	}
	// The parent counts toward the 15.
	if d := cmp.Diff([]int{15, 15, 3}, pages); d != "" {
		t.Errorf("page sizes (-want +got):\n%s", d)
	}
	var want []int
	for i := 1; i <= 30; i++ {
		want = append(want, i)
	}
	if d := cmp.Diff(want, replies); d != "" {
		t.Errorf("replies (-want +got):\n%s", d)
	}
}

// TestDistributedOneCallAMinute: the limit holds with the tiers off (the
// app type is the restriction, not the --rate-limits setting), per method,
// and answers 429 with Retry-After as every Slack limit does.
func TestDistributedOneCallAMinute(t *testing.T) {
	for _, rateLimits := range []bool{false, true} {
		t.Run(fmt.Sprintf("rate limits %v", rateLimits), func(t *testing.T) {
			srv, _, c := start(t, slacktest.Options{Distributed: true, RateLimits: rateLimits}, "xoxb-1", threadArchive(t, "C1", 3))
			history := func() error {
				_, err := c.GetConversationHistory(&slack.GetConversationHistoryParameters{ChannelID: "C1"})
				return err
			}
			replies := func() error {
				_, _, _, err := c.GetConversationReplies(&slack.GetConversationRepliesParameters{ChannelID: "C1", Timestamp: sec(0).String()})
				return err
			}
			for name, call := range map[string]func() error{"conversations.history": history, "conversations.replies": replies} {
				if err := call(); err != nil {
					t.Fatalf("first %s: %v", name, err)
				}
				err := call()
				var rl *slack.RateLimitedError
				if !errors.As(err, &rl) || rl.RetryAfter < 59*time.Second || rl.RetryAfter > time.Minute {
					t.Errorf("second %s within the minute: %v, want 429 with Retry-After about 60s", name, err)
				}
			}
			// Other methods keep their tiers.
			for range 3 {
				if _, err := c.GetConversationInfo(&slack.GetConversationInfoInput{ChannelID: "C1"}); err != nil {
					t.Errorf("conversations.info: %v", err)
				}
			}
			if n := srv.Admin().Stats().RateLimited["conversations.history"]; n != 1 {
				t.Errorf("stats count %d history 429s, want 1", n)
			}
		})
	}
}

func TestDistributedMinuteScales(t *testing.T) {
	_, _, c := start(t, slacktest.Options{Distributed: true, RateScale: 600}, "xoxb-1", channelArchive(t, "C1", "incident", 3))
	p := &slack.GetConversationHistoryParameters{ChannelID: "C1"}
	if _, err := c.GetConversationHistory(p); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetConversationHistory(p); err == nil {
		t.Fatal("second call within the scaled minute (100ms) went through")
	}
	time.Sleep(120 * time.Millisecond)
	if _, err := c.GetConversationHistory(p); err != nil {
		t.Errorf("after the scaled minute: %v", err)
	}
}
