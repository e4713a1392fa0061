package trackers_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wrapup/wrapup/internal/folder"
	"github.com/wrapup/wrapup/timeline"
	"github.com/wrapup/wrapup/trackers"
	"github.com/wrapup/wrapup/trackers/trackertest"
)

// laggy is a tracker whose lookups miss a ticket for lag after its
// creation, as Jira Cloud's /search/jql does ("eventually consistent",
// Atlassian changelog CHANGE-2046), on the fake clock. Once dead, it
// stands for a process that was killed: nothing more is created.
type laggy struct {
	*trackers.Memory
	clock *trackertest.Clock
	lag   time.Duration
	// dieAfter kills the process right after that many creates; 0 never.
	dieAfter int

	mu      sync.Mutex
	born    map[string]time.Time
	creates int
	dead    bool
}

var errKilled = errors.New("killed")

func (l *laggy) File(ctx context.Context, it timeline.ActionItem) (timeline.Ticket, error) {
	l.mu.Lock()
	if l.dead {
		l.mu.Unlock()
		return timeline.Ticket{}, errKilled
	}
	l.mu.Unlock()
	tk, err := l.Memory.File(ctx, it)
	if err != nil {
		return tk, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.born[it.Key]; !ok {
		l.born[it.Key] = l.clock.Now()
	}
	l.creates++
	if l.dieAfter > 0 && l.creates >= l.dieAfter {
		l.dead = true // the kill lands right after this create
		return timeline.Ticket{}, errKilled
	}
	return tk, nil
}

func (l *laggy) Lookup(ctx context.Context, keys []string) (map[string]timeline.Ticket, error) {
	got, err := l.Memory.Lookup(ctx, keys)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.dead {
		return nil, errKilled
	}
	for k := range got {
		if l.clock.Now().Before(l.born[k].Add(l.lag)) {
			delete(got, k)
		}
	}
	return got, err
}

func (*laggy) LookupLags() bool { return true }

// dying is a ledger of a process that may have been killed: once its
// tracker is dead, nothing more is written.
type dying struct {
	trackers.IntentLedger
	tr *laggy
}

func (d dying) isDead() bool {
	d.tr.mu.Lock()
	defer d.tr.mu.Unlock()
	return d.tr.dead
}

func (d dying) Record(ctx context.Context, key string, t timeline.Ticket) error {
	if d.isDead() {
		return errKilled
	}
	return d.IntentLedger.Record(ctx, key, t)
}

func (d dying) SetIntent(ctx context.Context, key string, at time.Time) error {
	if d.isDead() {
		return errKilled
	}
	return d.IntentLedger.SetIntent(ctx, key, at)
}

// TestKillAfterCreate: a run killed right after a create, with a 20 s
// search lag, followed at once by a rerun, files no duplicate: the rerun
// finds the intent the killed run recorded before its create, and waits
// out the lag, looking the key up, before it would create again (issue
// 11, measured: 4 duplicates of 6 without it). Many kill points, both
// ledgers, several concurrencies.
func TestKillAfterCreate(t *testing.T) {
	const n, lag = 6, 20 * time.Second
	rng := rand.New(rand.NewPCG(11, 20))
	for run := range 60 {
		ctx := context.Background()
		clk := trackertest.NewClock()
		tr := &laggy{Memory: &trackers.Memory{}, clock: clk, lag: lag, dieAfter: 1 + rng.IntN(n), born: map[string]time.Time{}}
		slack := &trackers.MemoryLedger{}
		file := &folder.Ledger{Path: filepath.Join(t.TempDir(), "wrapup.json")}
		conc := 1 + rng.IntN(4)
		first := &trackers.Filer{Service: tr, Ledgers: []trackers.Ledger{dying{slack, tr}, dying{file, tr}},
			Concurrency: conc, Attempts: 1, SearchLag: lag, Now: clk.Now, Sleep: clk.Sleep}
		if _, err := first.File(ctx, items(n)); err == nil {
			t.Fatalf("run %d: the killed run succeeded", run)
		}
		// The rerun, at once; on a CI runner the output folder may be
		// gone, so half the reruns have only the Slack ledger.
		killedAt := tr.dieAfter
		tr.mu.Lock()
		tr.dead = false
		tr.dieAfter = 0
		tr.mu.Unlock()
		ledgers := []trackers.Ledger{slack, file}
		if run%2 == 1 {
			ledgers = ledgers[:1]
		}
		var waited []string
		again := &trackers.Filer{Service: tr, Ledgers: ledgers, Concurrency: conc, SearchLag: lag,
			Now: clk.Now, Sleep: clk.Sleep, OnWait: func(keys []string, _ time.Time) { waited = keys }}
		out, err := again.File(ctx, items(n))
		if err != nil {
			t.Fatalf("run %d (killed after create %d, concurrency %d): rerun: %v", run, killedAt, conc, err)
		}
		if got := distinct(t, tr.Memory); got != n {
			t.Fatalf("run %d: %d distinct tickets, want %d", run, got, n)
		}
		if len(tr.Tickets()) != n {
			t.Fatalf("run %d (killed after create %d, concurrency %d): %d tickets for %d items: duplicates",
				run, killedAt, conc, len(tr.Tickets()), n)
		}
		if len(waited) == 0 {
			t.Errorf("run %d: the rerun did not wait for the search, nor said so", run)
		}
		for _, o := range out {
			if o.Ticket.ID == "" {
				t.Errorf("run %d: %+v has no ticket", run, o)
			}
		}
		if left, _ := slack.Intents(ctx); len(left) != 0 {
			t.Errorf("run %d: intents %v left after every ticket was recorded", run, left)
		}
	}
}

// TestIntentWithoutCreate: an intent whose create never reached the
// tracker costs one wait (until the search lag has passed since the
// create may have taken effect), then the item is filed once;
// an intent older than the lag, or a tracker whose lookups do not lag
// (GitHub's list by label), costs no wait at all.
func TestIntentWithoutCreate(t *testing.T) {
	ctx := context.Background()
	const lag = 2 * time.Minute
	for _, tc := range []struct {
		name string
		age  time.Duration
		lags bool
		wait bool
	}{
		{"fresh intent, lagging search", 30 * time.Second, true, true},
		{"old intent", 5 * time.Minute, true, false},
		{"consistent search", 30 * time.Second, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clk := trackertest.NewClock()
			var svc trackers.Service = &laggy{Memory: &trackers.Memory{}, clock: clk, born: map[string]time.Time{}}
			mem := &trackers.Memory{}
			if !tc.lags {
				svc = mem
			}
			l := &trackers.MemoryLedger{}
			its := items(2)
			l.SetIntent(ctx, its[0].Key, clk.Now().Add(-tc.age))
			start := clk.Now()
			var waited []string
			f := &trackers.Filer{Service: svc, Ledgers: []trackers.Ledger{l}, SearchLag: lag, Now: clk.Now, Sleep: clk.Sleep,
				OnWait: func(keys []string, _ time.Time) { waited = keys }}
			if _, err := f.File(ctx, its); err != nil {
				t.Fatal(err)
			}
			slept := clk.Now().Sub(start)
			if tc.wait && (len(waited) != 1 || waited[0] != its[0].Key || slept != lag-tc.age) {
				t.Errorf("waited for %v, %v; want %s alone, %v", waited, slept, its[0].Key, lag-tc.age)
			}
			if !tc.wait && (waited != nil || slept != 0) {
				t.Errorf("waited for %v, %v; want no wait", waited, slept)
			}
		})
	}
}

// TestIntentRecordedBeforeCreate: the intent is in every ledger when the
// create request goes out, saying it may take effect until the request
// times out, and a create that proves nothing was made (a
// 400) withdraws it.
func TestIntentRecordedBeforeCreate(t *testing.T) {
	ctx := context.Background()
	slack := &trackers.MemoryLedger{}
	file := &folder.Ledger{Path: filepath.Join(t.TempDir(), "wrapup.json")}
	var seen []int
	mem := &trackers.Memory{BeforeFile: func(n int, it timeline.ActionItem) error {
		a, _ := slack.Intents(ctx)
		b, _ := file.Intents(ctx)
		// A create may take effect as long as it is in flight (30 s).
		soon := time.Now().Add(29 * time.Second)
		if a[it.Key].After(soon) && b[it.Key].After(soon) {
			seen = append(seen, n)
		}
		if n == 2 {
			return trackers.Permanent(errors.New("400: field summary"))
		}
		return nil
	}}
	f := &trackers.Filer{Service: mem, Ledgers: []trackers.Ledger{slack, file}}
	if _, err := f.File(ctx, items(3)); err == nil {
		t.Fatal("the 400 did not fail its item")
	}
	if len(seen) != 3 {
		t.Errorf("intents present at creates %v; want at all 3", seen)
	}
	for _, l := range []trackers.IntentLedger{slack, file} {
		if left, err := l.Intents(ctx); err != nil || len(left) != 0 {
			t.Errorf("%T: intents %v, %v; want none (recorded, or withdrawn after the 400)", l, left, err)
		}
	}
}

// TestLedgerIntents: wrapup.json keeps intents under "intents" beside
// the tickets and the pipeline's fields; recording a ticket withdraws its
// intent; a broken field is an error naming the file and the field.
func TestLedgerIntents(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "wrapup.json")
	if err := os.WriteFile(path, []byte(`{"schema":"wrapup.run/v1"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	l := &folder.Ledger{Path: path}
	at := time.Date(2026, 3, 26, 15, 0, 0, 123000000, time.UTC)
	if err := l.SetIntent(ctx, "k1", at); err != nil {
		t.Fatal(err)
	}
	l.SetIntent(ctx, "k2", at)
	if got, err := (&folder.Ledger{Path: path}).Intents(ctx); err != nil || !got["k1"].Equal(at) || len(got) != 2 {
		t.Errorf("intents %v, %v", got, err)
	}
	l.Record(ctx, "k1", timeline.Ticket{Tracker: "jira", ID: "OPS-1"})
	l.SetIntent(ctx, "k2", time.Time{})
	data, _ := os.ReadFile(path)
	if strings.Contains(string(data), `"intents"`) || !strings.Contains(string(data), `"schema"`) {
		t.Errorf("wrapup.json after recording and withdrawing:\n%s", data)
	}
	os.WriteFile(path, []byte(`{"intents": {"k1": "yesterday"}}`), 0o600)
	if _, err := l.Intents(ctx); err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), `"intents"`) {
		t.Errorf("err = %v; want one naming %s and the field", err, path)
	}
}
