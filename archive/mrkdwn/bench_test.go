package mrkdwn

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// message is a realistic incident-channel message of about 500 bytes.
const message = "&gt; *Status:* _mitigated_ :white_check_mark: by <@U1> in <#C1|incident-42>\n" +
	"<!here> rollback of `api-gateway` to `v1.42.3` is done; error rate back to 0.2% " +
	"(see <https://grafana.example.com/d/abc?orgId=1&amp;from=now-1h|dashboard>).\n" +
	"Root cause: the new `retry_budget` flag defaulted to ~0~ *unlimited*, so " +
	"2*3*4 = 24 retries per request &amp; the pool ran dry.\n" +
	"```kubectl -n prod rollout undo deploy/api-gateway\n" +
	"kubectl -n prod get pods -l app=api-gateway```\n" +
	"Follow-ups owned by <!subteam^S1|@sre>: add an alert, see https://runbooks.example.com/api_gateway."

func BenchmarkToMarkdown(b *testing.B) {
	b.SetBytes(int64(len(message)))
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		ToMarkdown(message, testResolver)
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "msgs/s")
}

// TestLinearTime converts inputs built to make a backtracking or rescanning
// parser quadratic, at two sizes, and fails if sixteen times the input
// takes far more than sixteen times as long (quadratic would be 256).
func TestLinearTime(t *testing.T) {
	if testing.Short() {
		t.Skip("timing test: skipped in -short mode")
	}
	patterns := []string{"<", "<a", "`", "`a", "*", "*a", "_a ", "a*", "```", "&gt;", "&amp;", "\n", "{", "a|", "http://", "http://-", "www.-", "<@U1|", "*_~", "\u200d"}
	for _, p := range patterns {
		t.Run(fmt.Sprintf("%q", p), func(t *testing.T) {
			small, large := timeIt(strings.Repeat(p, 1000)), timeIt(strings.Repeat(p, 16000))
			if large > 80*small && large > 50*time.Millisecond {
				t.Errorf("16x input took %v vs %v: not linear", large, small)
			}
		})
	}
}

func timeIt(in string) time.Duration {
	best := time.Duration(1 << 62)
	for range 5 {
		start := time.Now()
		ToMarkdown(in, testResolver)
		ToInline(in, testResolver)
		best = min(best, time.Since(start))
	}
	return best
}
