package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wrapup/wrapup/archive/slackapi"
	"github.com/wrapup/wrapup/internal/demo"
	"github.com/wrapup/wrapup/internal/emulator"
	"github.com/wrapup/wrapup/internal/emustack"
	"github.com/wrapup/wrapup/internal/folder"
	"github.com/wrapup/wrapup/internal/wire"
	"github.com/wrapup/wrapup/trackers/trackertest"
)

// runCtx is env.run with a context, for a run to be killed.
func (e *env) runCtx(t *testing.T, ctx context.Context, mod func(*Options)) (*Result, error) {
	t.Helper()
	opts := Options{Config: e.cfg, Channel: demo.Channel, OutDir: e.out, Tool: "wrapup test",
		Slack:   slackapi.New("xoxb-test", slackapi.Options{APIURL: e.url, Limiter: slackapi.NewLimiter(1000)}),
		Tracker: wire.Tracker(e.cfg, e.getenv, "", 0),
		LockDir: e.locks, Settle: time.Millisecond}
	mod(&opts)
	return Run(ctx, opts)
}

// TestKillAfterCreateRerun: with a 20 s search lag in the world, a run
// stopped right after a Jira create took effect (its answer never came
// back) and rerun at once (on a clock that moves only when wrapup waits)
// files no duplicate: the rerun finds the intent
// in the wrap-up message and wrapup.json, says it waits, waits out
// tracker.jira.search_lag (from the intent, plus the 30 s a create may be
// in flight: a first version waited from the intent alone, and this test
// caught the duplicate), finds the issue and records it, and closes the
// channel (issue 11, measured before: 4 duplicates of 6). The kill lands
// after each of the demo's creates in turn, many times.
func TestKillAfterCreateRerun(t *testing.T) {
	rounds := 8
	if testing.Short() {
		rounds = 4
	}
	for round := range rounds {
		after := round % 4 // creates that answer before the one the kill lands on
		clk := trackertest.NewClock()
		e := newWorldEnv(t, "jira:\n  search_lag: 20s\n", func(o *emustack.Options) { o.Now = clk.Now })
		e.cfg.Tracker.Jira.SearchLag = 20 * time.Second
		scale := func(o *Options) { o.Now, o.Sleep = clk.Now, clk.Sleep }
		// The create takes effect, its answer hangs; the run is killed then.
		if err := e.stack.Admin.SetFaults([]emulator.Fault{{Service: "jira", Method: "POST", Path: "/rest/api/2/issue",
			After: after, Times: 1, Delay: emulator.Duration(time.Minute)}}); err != nil {
			t.Fatal(err)
		}
		ctx, kill := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			for e.calls("jira POST /rest/api/2/issue") < after+1 {
				time.Sleep(time.Millisecond)
			}
			kill()
		}()
		_, err := e.runCtx(t, ctx, scale)
		wg.Wait()
		if err == nil {
			t.Fatalf("round %d: the killed run succeeded", round)
		}
		e.stack.Admin.SetFaults(nil)
		// The wrap-up message carries the intent, flat as Slack wants
		// metadata (slacktest refuses nesting: invalid_metadata_format).
		if st := mustJSON(t, e.stack.Admin.State()); !strings.Contains(st, `"intent_keys":[`) || !strings.Contains(st, `"intent_at":[`) {
			t.Fatalf("round %d: no intent in the wrap-up message's metadata", round)
		}
		if round%2 == 1 {
			// A CI runner's output folder is gone: the Slack ledger alone
			// knows the intent.
			if err := os.RemoveAll(e.out); err != nil {
				t.Fatal(err)
			}
		}
		res, err := e.runCtx(t, context.Background(), scale)
		if err != nil || !res.Archived {
			t.Fatalf("round %d (killed after create %d): rerun: %v (notes %q)", round, after+1, err, res.Notes)
		}
		if n := len(e.stack.Jira.Issues()); n != 4 {
			t.Fatalf("round %d (killed after create %d): %d issues for 4 items", round, after+1, n)
		}
		if !strings.Contains(strings.Join(res.Notes, "\n"), "waiting until") {
			t.Errorf("round %d: the rerun did not say it waited: %q", round, res.Notes)
		}
		rec, err := os.ReadFile(filepath.Join(res.Dir, folder.RecordName))
		if err != nil || strings.Contains(string(rec), `"intents"`) {
			t.Errorf("round %d: intents left in wrapup.json (%v):\n%s", round, err, rec)
		}
	}
}
