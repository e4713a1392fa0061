package pipeline

import (
	"context"
	"fmt"
	"maps"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/slackapi"
	"github.com/wrapup/wrapup/archive/slacktest"
	"github.com/wrapup/wrapup/internal/config"
	"github.com/wrapup/wrapup/internal/emustack"
)

// heldOutChannel is a channel shaped like the held-out incident of the
// performance issue: 35 top-level messages, 4 of them threads with 3
// replies each, declared, worked and resolved a day before the sweep.
func heldOutChannel(i int, start time.Time) *archive.Archive {
	id := fmt.Sprintf("C0SWEEP%03d", i)
	a := chatopsChannel(id, fmt.Sprintf("incident-2026-03-25-sweep-%03d", i), start, 2*time.Hour, false)
	resolved := a.Messages[len(a.Messages)-1]
	a.Messages = a.Messages[:len(a.Messages)-1]
	for n := len(a.Messages); n < 34; n++ {
		at := start.Add(time.Duration(n) * 3 * time.Minute)
		m := &archive.Message{TS: archive.TSFromTime(at), Type: "message", User: "U07ALICE01", Text: fmt.Sprintf("looking at shard %d", n)}
		if n%8 == 0 {
			m.ThreadTS = m.TS
			for r := 1; r <= 3; r++ {
				m.Replies = append(m.Replies, &archive.Message{TS: archive.TSFromTime(at.Add(time.Duration(r) * time.Second)), Type: "message",
					User: "U07ALICE01", ThreadTS: m.TS, Text: fmt.Sprintf("reply %d", r)})
			}
			m.ReplyCount = archive.Int(len(m.Replies))
		}
		a.Messages = append(a.Messages, m)
	}
	// The app is in the channel, as in the held-out case (one join more
	// per channel otherwise).
	a.Channel.Members = []string{"U07ALICE01", slacktestBot}
	return &archive.Archive{Channel: a.Channel, Users: a.Users, Messages: append(a.Messages, resolved)}
}

// slacktestBot is the emulator's bot user, wrapup's token's identity.
const slacktestBot = "U0EMUBOT"

// sweepCalls sweeps n held-out channels against the emulator with
// rate limits off and returns the Slack calls made, by method.
func sweepCalls(tb testing.TB, n int) map[string]int {
	tb.Helper()
	stack := emustack.New(emustack.Options{WorkspaceURL: "https://demo.slack.com/",
		Slack: func(o *slacktest.Options) { o.Tokens = map[string]slacktest.Token{"xoxb-test": {}} }})
	now := time.Date(2026, 3, 27, 12, 0, 0, 0, time.UTC)
	for i := range n {
		if err := stack.Seed(heldOutChannel(i, now.Add(-48*time.Hour))); err != nil {
			tb.Fatal(err)
		}
	}
	srv := httptest.NewServer(stack)
	defer srv.Close()
	cfg := config.Default()
	cfg.Tracker.Kind = "none"
	out := tb.TempDir()
	slack := slackapi.New("xoxb-test", slackapi.Options{APIURL: srv.URL, Limiter: slackapi.NewLimiter(1000), MaxAttempts: 1})
	items, err := Sweep(context.Background(), SweepOptions{
		Run: Options{Config: cfg, OutDir: filepath.Join(out, "postmortems"), LockDir: filepath.Join(out, "locks"), Tool: "wrapup test", Slack: slack},
		Now: func() time.Time { return now },
	})
	if err != nil {
		tb.Fatal(err)
	}
	ran := 0
	for _, it := range items {
		if it.Decision == "ran" {
			ran++
		}
	}
	if ran != n {
		tb.Fatalf("%d of %d channels ran: %+v", ran, n, items)
	}
	calls := map[string]int{}
	for k, v := range stack.Admin.Stats().Calls {
		if m, ok := strings.CutPrefix(k, "slack "); ok {
			k = m
		}
		calls[k] += v
	}
	return calls
}

// tier3 counts the calls of Slack's Tier 3 methods (50 a minute each).
func tier3(calls map[string]int) int {
	n := 0
	for m, c := range calls {
		if slackapi.TierOf(m) == slackapi.Tier3 {
			n += c
		}
	}
	return n
}

// TestSweepAtTheFloor: a sweep of 40 held-out channels makes, per
// channel, at most 3 history calls, one replies call per thread and 3
// other Tier 3 calls (info, and the late-message and ledger checks): under
// Slack's Tier 3 pace every call more costs 1.2 s of wall time.
func TestSweepAtTheFloor(t *testing.T) {
	const n, threads = 40, 4
	calls := sweepCalls(t, n)
	t.Logf("calls: %v", calls)
	if got := calls["conversations.history"]; got > 3*n {
		t.Errorf("%d conversations.history calls for %d channels; want at most %d", got, n, 3*n)
	}
	if got := calls["conversations.replies"]; got > threads*n {
		t.Errorf("%d conversations.replies calls; want at most one per thread, %d", got, threads*n)
	}
	if got := calls["auth.test"]; got > 1 {
		t.Errorf("%d auth.test calls; want one a sweep", got)
	}
	if got := tier3(calls); got > (3+threads+3)*n {
		t.Errorf("%d Tier 3 calls; want at most %d", got, (3+threads+3)*n)
	}
}

// BenchmarkSweep40 reports the Slack calls a sweep of 40 held-out
// channels makes, and what they cost at Slack's Tier 3 pace.
func BenchmarkSweep40(b *testing.B) {
	var calls map[string]int
	for b.Loop() {
		calls = sweepCalls(b, 40)
	}
	total := 0
	for _, m := range slices.Sorted(maps.Keys(calls)) {
		total += calls[m]
		b.ReportMetric(float64(calls[m])/40, strings.ReplaceAll(m, ".", "_")+"/channel")
	}
	b.ReportMetric(float64(total), "calls")
	b.ReportMetric(float64(tier3(calls)), "tier3-calls")
	b.ReportMetric(float64(tier3(calls))*60/50, "tier3-wall-s")
}
