package pipeline

import (
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/slackapi"
	"github.com/wrapup/wrapup/internal/config"
	"github.com/wrapup/wrapup/internal/emustack"
	"github.com/wrapup/wrapup/internal/wire"
)

// TestSweepLooksBackPastShortPages: an app held to Slack's distributed-app
// limits gets 15 messages a page; a resolution 40 messages back must still
// be found (the look-back used to read one page, so it saw no status and
// skipped the channel), and the run's notes say why it was slow.
func TestSweepLooksBackPastShortPages(t *testing.T) {
	now := time.Date(2026, 3, 27, 12, 0, 0, 0, time.UTC)
	start := now.Add(-48 * time.Hour)
	a := chatopsChannel("C07CHATTY1", "incident-2026-03-25-chatty", start, time.Hour, false)
	a.Channel.Members = []string{"U07ALICE01", "U0EMUBOT"} // invited: a dry run may not join
	for i := range 40 {
		a.Messages = append(a.Messages, &archive.Message{TS: archive.TSFromTime(start.Add(time.Hour + time.Duration(i+1)*time.Minute)),
			Type: "message", User: "U07ALICE01", Text: fmt.Sprintf("follow-up chatter %d", i)})
	}
	// The minute runs in 10ms; each 429 still costs its 1s Retry-After.
	stack := emustack.New(emustack.Options{RateScale: 6000,
		World: &emustack.World{Slack: emustack.SlackWorld{App: emustack.AppDistributed}}})
	if err := stack.Seed(a); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(stack)
	t.Cleanup(srv.Close)
	cfg := config.Default()
	slack := slackapi.New("xoxb-test", slackapi.Options{APIURL: srv.URL, Limiter: slackapi.NewLimiter(1000)})
	items, err := Sweep(context.Background(), SweepOptions{
		Run: Options{Config: cfg, OutDir: filepath.Join(t.TempDir(), "out"), Tool: "wrapup test", Slack: slack,
			DryRun: true, Tracker: wire.Tracker(cfg, func(string) string { return "" }, "", 0)},
		Now: func() time.Time { return now },
	})
	if err != nil {
		t.Fatalf("sweep: %v (%+v)", err, items)
	}
	if len(items) != 1 {
		t.Fatalf("items %+v, want the one channel", items)
	}
	it := items[0]
	if it.Status != "resolved" || it.ResolvedAt == nil || !it.ResolvedAt.Equal(start.Add(time.Hour)) || it.Decision != "would run" {
		t.Fatalf("item %+v (resolved at %v), want resolved at %v and run", it, it.ResolvedAt, start.Add(time.Hour))
	}
	if calls := stack.Admin.Stats().Calls["conversations.history"]; calls < 3 {
		t.Errorf("%d history calls: the look-back did not page", calls)
	}
	found := false
	for _, n := range it.Result.Notes {
		found = found || n == slackapi.DistributedLimitsNote
	}
	if !found {
		t.Errorf("run notes %q lack the distributed-app note", it.Result.Notes)
	}
}
