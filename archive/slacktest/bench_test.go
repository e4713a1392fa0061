package slacktest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"testing"

	"github.com/slack-go/slack"
	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/slacktest"
)

func bigChannel(b *testing.B, n int) *archive.Archive {
	b.Helper()
	flat := make([]*archive.Message, n)
	for i := range flat {
		flat[i] = newMessage(b, map[string]any{"ts": sec(i), "user": "U1", "text": fmt.Sprintf("message %d with some text", i)})
	}
	roots, _ := archive.Thread(flat)
	return &archive.Archive{Channel: archive.Channel{ID: "C1", Name: "big"}, Messages: roots}
}

// BenchmarkHistory reads a 100,000-message channel in pages of 999 over
// HTTP, decoding only the paging fields: the emulator's own throughput.
func BenchmarkHistory(b *testing.B) {
	const n = 100_000
	_, base, _ := start(b, slacktest.Options{}, "xoxb-1", bigChannel(b, n))
	var msgs, calls int
	for b.Loop() {
		cursor := ""
		for {
			resp, err := http.PostForm(base+"/api/conversations.history",
				url.Values{"token": {"xoxb-1"}, "channel": {"C1"}, "limit": {"999"}, "cursor": {cursor}})
			if err != nil {
				b.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				b.Fatal(err)
			}
			var page struct {
				Messages         []json.RawMessage `json:"messages"`
				HasMore          bool              `json:"has_more"`
				ResponseMetadata struct {
					NextCursor string `json:"next_cursor"`
				} `json:"response_metadata"`
			}
			if err := json.Unmarshal(body, &page); err != nil {
				b.Fatal(err)
			}
			calls++
			msgs += len(page.Messages)
			if !page.HasMore {
				break
			}
			cursor = page.ResponseMetadata.NextCursor
		}
	}
	if msgs != n*b.N {
		b.Fatalf("read %d messages, want %d", msgs, n*b.N)
	}
	b.ReportMetric(float64(msgs)/b.Elapsed().Seconds(), "messages/s")
	b.ReportMetric(float64(calls)/float64(b.N), "calls/op")
}

// BenchmarkHistorySlackGo reads the same channel through slack-go, whose
// decoding into slack.Message bounds what an exporter sees.
func BenchmarkHistorySlackGo(b *testing.B) {
	const n = 100_000
	_, _, c := start(b, slacktest.Options{}, "xoxb-1", bigChannel(b, n))
	var msgs int
	for b.Loop() {
		p := slack.GetConversationHistoryParameters{ChannelID: "C1", Limit: 999}
		for {
			resp, err := c.GetConversationHistory(&p)
			if err != nil {
				b.Fatal(err)
			}
			msgs += len(resp.Messages)
			if !resp.HasMore {
				break
			}
			p.Cursor = resp.ResponseMetaData.NextCursor
		}
	}
	if msgs != n*b.N {
		b.Fatalf("read %d messages, want %d", msgs, n*b.N)
	}
	b.ReportMetric(float64(msgs)/b.Elapsed().Seconds(), "messages/s")
}
