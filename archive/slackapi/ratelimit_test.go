package slackapi_test

import (
	"os"
	"testing"
	"time"

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/archivetest"
	"github.com/wrapup/wrapup/archive/slackapi"
	"github.com/wrapup/wrapup/archive/slacktest"
)

// rateScale runs Slack's tiers 60 times faster: Tier 3 takes 50 calls a
// second, so the test takes seconds, not minutes, with the same ratios.
const rateScale = 60

// limitedExport exports a 2,000-message channel with 150 threads from an
// emulator enforcing the tiers, and returns the calls, 429s and time.
func limitedExport(tb testing.TB, seed *archive.Archive) (calls, limited int, took time.Duration, rate float64) {
	tb.Helper()
	e := start(tb, slacktest.Options{RateLimits: true, RateScale: rateScale}, seed)
	lim := slackapi.NewLimiter(rateScale)
	e.c = slackapi.New(token, slackapi.Options{APIURL: e.url, Limiter: lim})
	t0 := time.Now()
	if _, err := e.c.Export(tb.Context(), seed.Channel.ID, slackapi.ExportOptions{}); err != nil {
		tb.Fatal(err)
	}
	took = time.Since(t0)
	calls, limited = e.calls()
	return calls, limited, took, lim.Rate(slackapi.Tier3)
}

func TestRateLimitedExport(t *testing.T) {
	if testing.Short() {
		t.Skip("takes a few seconds: skipped in -short mode")
	}
	seed := archivetest.Generate(archivetest.Options{Messages: 2000, Threads: 150})
	calls, limited, took, rate := limitedExport(t, seed)
	bound := time.Duration(1.1 * float64(calls) / rate * float64(time.Second))
	t.Logf("%d calls, %d 429s, %v (bound %v)", calls, limited, took, bound)
	// Wall time depends on what else the machine runs (go test runs
	// packages in parallel): BenchmarkExport reports it, and
	// WRAPUP_TIMING=1 makes it an assertion on a quiet machine.
	if took > bound && !raceEnabled && os.Getenv("WRAPUP_TIMING") != "" {
		t.Errorf("took %v for %d calls at %.0f/s; want at most %v", took, calls, rate, bound)
	}
	if limited > 2 {
		t.Errorf("%d 429s, want at most 2", limited)
	}
}

func BenchmarkExport(b *testing.B) {
	seed := archivetest.Generate(archivetest.Options{Messages: 2000, Threads: 150})
	b.Run("unlimited", func(b *testing.B) {
		e := start(b, slacktest.Options{}, seed)
		for b.Loop() {
			if _, err := e.c.Export(b.Context(), seed.Channel.ID, slackapi.ExportOptions{}); err != nil {
				b.Fatal(err)
			}
		}
		calls, _ := e.calls()
		b.ReportMetric(float64(calls)/float64(b.N), "calls/op")
		b.ReportMetric(float64(2000*b.N)/b.Elapsed().Seconds(), "messages/s")
	})
	b.Run("tier-limits-x60", func(b *testing.B) {
		var calls, limited int
		var took time.Duration
		for b.Loop() {
			c, l, d, _ := limitedExport(b, seed)
			calls, limited, took = calls+c, limited+l, took+d
		}
		b.ReportMetric(float64(calls)/float64(b.N), "calls/op")
		b.ReportMetric(float64(limited)/float64(b.N), "429s/op")
		b.ReportMetric(took.Seconds()/float64(b.N), "wall-s/op")
	})
}
