package pipeline

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/slackapi"
	"github.com/wrapup/wrapup/internal/emulator"
	"github.com/wrapup/wrapup/internal/wire"
)

// machine is where a run runs: its host name, its lock directory and its
// output folder. Runs on different machines share only Slack and Jira.
type machine struct{ host, locks, out string }

func newMachine(t *testing.T, host string) machine {
	return machine{host: host, locks: t.TempDir(), out: filepath.Join(t.TempDir(), "postmortems")}
}

func (m machine) apply(o *Options) {
	o.Host, o.LockDir, o.OutDir = m.host, m.locks, m.out
}

// backedOff reports whether err is one of the ways a run stops because
// another run has the channel, and whether it says why.
func backedOff(err error) bool {
	switch {
	case errors.Is(err, ErrClaimed):
		return strings.Contains(err.Error(), "is being closed by run ")
	case errors.Is(err, ErrLocked):
		return strings.Contains(err.Error(), "another wrapup run on this machine")
	case errors.Is(err, ErrArchivedMidway), errors.Is(err, slackapi.ErrArchived):
		return strings.Contains(err.Error(), "archived")
	}
	return false
}

// TestConcurrentRuns: runs started together on one channel, two on one
// machine and one on another, again and again: each action item is filed
// once, one wrap-up message is posted, the channel is archived once, and
// every run that backs off says why.
func TestConcurrentRuns(t *testing.T) {
	rounds := 8
	if testing.Short() {
		rounds = 2
	}
	for round := range rounds {
		t.Run(fmt.Sprint(round), func(t *testing.T) {
			e := newEnv(t)
			a, b := newMachine(t, "runner-a"), newMachine(t, "runner-b")
			var wg sync.WaitGroup
			errs := make([]error, 3)
			for i, m := range []machine{a, a, b} {
				wg.Go(func() {
					_, errs[i] = e.run(t, m.apply)
				})
			}
			wg.Wait()
			ok := 0
			for i, err := range errs {
				switch {
				case err == nil:
					ok++
				case !backedOff(err):
					t.Errorf("run %d failed, not by backing off: %v", i, err)
				}
			}
			if ok == 0 {
				t.Errorf("no run finished: %v", errs)
			}
			if posted, issues, archived := e.state(t); posted != 1 || issues != 4 || !archived {
				t.Errorf("posted %d, issues %d, archived %v; want 1, 4, true (errors %v)", posted, issues, archived, errs)
			}
			if n := e.calls("conversations.archive"); n != 1 {
				t.Errorf("%d archive calls", n)
			}
		})
	}
}

// TestConcurrentSweeps: two sweeps on two machines over six resolved
// channels at once file each channel's action item once and archive each
// channel once.
func TestConcurrentSweeps(t *testing.T) {
	rounds := 4
	if testing.Short() {
		rounds = 1
	}
	now := time.Date(2026, 3, 27, 12, 0, 0, 0, time.UTC)
	for round := range rounds {
		t.Run(fmt.Sprint(round), func(t *testing.T) {
			e := newEnv(t)
			for i := range 5 {
				start := now.Add(-time.Duration(48+i) * time.Hour)
				ch := chatopsChannel(fmt.Sprintf("C07SWEEP%02d", i), fmt.Sprintf("incident-2026-03-2%d-disk-%d", i, i), start, time.Hour, false)
				ch.Messages = append(ch.Messages, &archive.Message{TS: archive.TSFromTime(start.Add(30 * time.Minute)),
					Type: "message", User: "U07ALICE01", Text: fmt.Sprintf("AI: rotate the logs on host %d", i)})
				if err := e.stack.Seed(ch); err != nil {
					t.Fatal(err)
				}
			}
			var wg sync.WaitGroup
			results := make([][]SweepItem, 2)
			for i, m := range []machine{newMachine(t, "runner-a"), newMachine(t, "runner-b")} {
				wg.Go(func() {
					slack := slackapi.New("xoxb-test", slackapi.Options{APIURL: e.url, Limiter: slackapi.NewLimiter(1000)})
					ro := Options{Config: e.cfg, Tool: "wrapup test", Slack: slack, Tracker: wire.Tracker(e.cfg, e.getenv, "", 0),
						Settle: time.Millisecond}
					m.apply(&ro)
					results[i], _ = Sweep(context.Background(), SweepOptions{Run: ro, Now: func() time.Time { return now }})
				})
			}
			wg.Wait()
			for _, items := range results {
				for _, it := range items {
					if it.Decision == "failed" {
						t.Errorf("%s failed: %s", it.Channel, it.Error)
					}
				}
			}
			// The five channels and the demo incident, whose four action
			// items make nine.
			st := mustJSON(t, e.stack.Admin.State())
			if n := strings.Count(st, `"key":"OPS-`); n != 9 {
				t.Errorf("%d issues for 9 action items in 6 channels", n)
			}
			if n := strings.Count(st, `"text":":memo: *Wrap-up`); n != 6 {
				t.Errorf("%d wrap-up messages for 6 channels", n)
			}
			if n := e.calls("conversations.archive"); n != 6 {
				t.Errorf("%d archive calls for 6 channels", n)
				for _, items := range results {
					for _, it := range items {
						t.Logf("%s: %s %s %s", it.Channel, it.Decision, it.Reason, it.Error)
					}
				}
			}
		})
	}
}

// TestForeignLedgerIgnored: another app in the channel posts a message
// with wrapup's ledger metadata naming tickets for wrapup's keys (they are
// computable). wrapup trusts only its own bot's messages: it files the
// items, links none of the fake tickets, posts its own message, and says
// once that it ignored the other.
func TestForeignLedgerIgnored(t *testing.T) {
	e := newEnv(t)
	other := slackapi.New(otherAppToken, slackapi.Options{APIURL: e.url, Limiter: slackapi.NewLimiter(1000)})
	p := Payload{State: "done", Keys: []string{"4df92cddc809", "9434f40af092", "7619cba07917", "3c9fa4739b7d"},
		Trackers: []string{"jira", "jira", "jira", "jira"}, IDs: []string{"OPS-901", "OPS-902", "OPS-903", "OPS-904"},
		URLs: []string{"https://evil.example/1", "https://evil.example/2", "https://evil.example/3", "https://evil.example/4"}}
	if _, err := other.Post(context.Background(), "C07CHECKOUT", "Wrap-up: all filed", payloadMetadata(p)); err != nil {
		t.Fatal(err)
	}
	res, err := e.run(t, nil)
	if err != nil || !res.Archived {
		t.Fatalf("%+v %v", res, err)
	}
	for _, tk := range res.Tickets {
		if tk.Status != "created" || strings.Contains(tk.URL, "evil.example") {
			t.Errorf("ticket %+v: the fake ledger was trusted", tk)
		}
	}
	if _, issues, _ := e.state(t); issues != 4 {
		t.Errorf("%d issues, want 4", issues)
	}
	said := 0
	for _, n := range res.Notes {
		if strings.Contains(n, "not posted by this app") {
			said++
		}
	}
	if said != 1 {
		t.Errorf("the run said %d times that it ignored the other app's message, want once: %q", said, res.Notes)
	}
}

// TestHeartbeat: while a run works, it refreshes its claim.
func TestHeartbeat(t *testing.T) {
	e := newEnv(t)
	// Filing is slow: each create takes 150ms.
	e.stack.Admin.SetFaults([]emulator.Fault{{Service: "jira", Method: "POST", Path: "/rest/api/2/issue", Times: 100,
		Delay: emulator.Duration(150 * time.Millisecond)}})
	res, err := e.run(t, func(o *Options) { o.Heartbeat = 10 * time.Millisecond })
	if err != nil || !res.Archived {
		t.Fatalf("%+v %v", res, err)
	}
	// One update takes the claim... no: posting does; then one per
	// ticket, the final text, and the heartbeats between.
	if n := e.calls("chat.update"); n < 4+1+5 {
		t.Errorf("%d updates: the claim was not refreshed while the run worked", n)
	}
}

// TestTakeover: a run that stalled past claim_ttl (the network was down,
// say) while another machine's run took the channel over finds out before
// its next write to the claim, stops, says why, and leaves the other run's
// claim alone.
func TestTakeover(t *testing.T) {
	e := newEnv(t)
	e.cfg.Close.ClaimTTL = 40 * time.Millisecond
	bot := slackapi.New("xoxb-test", slackapi.Options{APIURL: e.url, Limiter: slackapi.NewLimiter(1000)})
	res, err := e.run(t, func(o *Options) {
		o.Heartbeat = time.Hour // stalled: no heartbeat
		duringFiling(o, func() {
			time.Sleep(100 * time.Millisecond) // the claim goes stale
			ledger, err := bot.FindMessage(context.Background(), "C07CHECKOUT", "wrapup_ledger")
			if err != nil || ledger == nil {
				t.Errorf("no ledger message: %v", err)
				return
			}
			p, _, _ := readPayload(ledger)
			if p.Heartbeat == 0 || p.Run == "" || p.Host == "" {
				t.Errorf("the claim has no run, host or heartbeat: %+v", p)
			}
			p.Run, p.Host, p.Heartbeat = "0therrun", "runner-b", time.Now().Unix()
			if err := bot.Update(context.Background(), "C07CHECKOUT", ledger.TS, ledger.Text, payloadMetadata(p)); err != nil {
				t.Error(err)
			}
		})
	})
	if !errors.Is(err, ErrClaimed) || !strings.Contains(err.Error(), "run 0therrun on runner-b") || res.Archived {
		t.Fatalf("err = %v, archived %v; want the run stopped by the takeover", err, res.Archived)
	}
	ledger, _ := bot.FindMessage(context.Background(), "C07CHECKOUT", "wrapup_ledger")
	if p, _, _ := readPayload(ledger); p.Run != "0therrun" {
		t.Errorf("the stopped run overwrote the other run's claim: %+v", p)
	}
	if _, issues, _ := e.state(t); issues != 0 {
		t.Errorf("%d issues filed after the claim was lost", issues)
	}
}
