package trackers_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wrapup/wrapup/internal/folder"
	"github.com/wrapup/wrapup/timeline"
	"github.com/wrapup/wrapup/trackers"
	"github.com/wrapup/wrapup/trackers/trackertest"
)

func items(n int) []timeline.ActionItem {
	var its []timeline.ActionItem
	for i := range n {
		its = append(its, trackertest.Item("filer", i))
	}
	return its
}

// distinct counts the tickets per key and fails on a duplicate.
func distinct(t *testing.T, m *trackers.Memory) int {
	t.Helper()
	seen := map[string]string{}
	for _, tk := range m.Tickets() {
		if id, dup := seen[tk.Item.Key]; dup {
			t.Errorf("key %s filed twice: %s and %s", tk.Item.Key, id, tk.Ticket.ID)
		}
		seen[tk.Item.Key] = tk.Ticket.ID
	}
	return len(seen)
}

// lagging hides every ticket from lookups, as Jira Cloud's search does
// for a while after a create.
type lagging struct{ *trackers.Memory }

func (lagging) Lookup(context.Context, []string) (map[string]timeline.Ticket, error) {
	return map[string]timeline.Ticket{}, nil
}

func TestFiler(t *testing.T) {
	const n = 6
	ctx := context.Background()
	errDown := errors.New("500 Internal Server Error")

	t.Run("filing twice gives N tickets", func(t *testing.T) {
		m := &trackers.Memory{}
		f := &trackers.Filer{Service: m, Ledgers: []trackers.Ledger{&trackers.MemoryLedger{}}, Concurrency: 4}
		for run := range 2 {
			if _, err := f.File(ctx, items(n)); err != nil {
				t.Fatalf("run %d: %v", run, err)
			}
		}
		if got := distinct(t, m); got != n || len(m.Tickets()) != n {
			t.Errorf("%d tickets for %d keys; want %d", len(m.Tickets()), got, n)
		}
		if files, lookups := m.Calls(); files != n || lookups != 1 {
			t.Errorf("calls: %d files, %d lookups; want %d and 1 (the second run is answered by the ledger)", files, lookups, n)
		}
	})

	t.Run("tracker dies after k creations, rerun completes", func(t *testing.T) {
		const k = 2
		m := &trackers.Memory{BeforeFile: func(c int, _ timeline.ActionItem) error {
			if c > k {
				return errDown
			}
			return nil
		}}
		dir := t.TempDir()
		ledger := &folder.Ledger{Path: filepath.Join(dir, "wrapup.json")}
		f := &trackers.Filer{Service: m, Ledgers: []trackers.Ledger{ledger}, Backoff: 1}
		out, err := f.File(ctx, items(n))
		if !errors.Is(err, errDown) {
			t.Fatalf("first run: err %v; want the tracker's error", err)
		}
		if got := len(m.Tickets()); got != k {
			t.Fatalf("first run made %d tickets; want %d", got, k)
		}
		if out[n-1].Status != trackers.StatusFailed {
			t.Errorf("last item: %s; want failed", out[n-1].Status)
		}
		m.BeforeFile = nil
		if _, err := f.File(ctx, items(n)); err != nil {
			t.Fatalf("rerun: %v", err)
		}
		if got := distinct(t, m); got != n {
			t.Errorf("%d tickets after rerun; want %d", got, n)
		}
	})

	t.Run("output folder gone and search lagging, the Slack ledger saves the day", func(t *testing.T) {
		m := &trackers.Memory{}
		slack := &trackers.MemoryLedger{}
		dir := t.TempDir()
		f := &trackers.Filer{Service: lagging{m}, Ledgers: []trackers.Ledger{slack, &folder.Ledger{Path: filepath.Join(dir, "wrapup.json")}}}
		if _, err := f.File(ctx, items(n)); err != nil {
			t.Fatal(err)
		}
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		out, err := f.File(ctx, items(n))
		if err != nil {
			t.Fatal(err)
		}
		if got := distinct(t, m); got != n || len(m.Tickets()) != n {
			t.Errorf("%d tickets; want %d", len(m.Tickets()), n)
		}
		for _, o := range out {
			if o.Status != trackers.StatusRecorded {
				t.Errorf("%s: %s; want recorded", o.Key, o.Status)
			}
		}
		// The rebuilt folder's ledger was backfilled.
		got, err := f.Ledgers[1].Load(ctx)
		if err != nil || len(got) != n {
			t.Errorf("wrapup.json after rerun holds %d tickets (err %v); want %d", len(got), err, n)
		}
	})

	t.Run("with no ledger and a lagging search, a rerun duplicates", func(t *testing.T) {
		// This documents the gap the ledgers close: the tracker alone
		// cannot answer while its search lags.
		m := &trackers.Memory{}
		f := &trackers.Filer{Service: lagging{m}}
		for range 2 {
			if _, err := f.File(ctx, items(2)); err != nil {
				t.Fatal(err)
			}
		}
		if got := len(m.Tickets()); got != 4 {
			t.Errorf("%d tickets; want 4 (2 duplicates)", got)
		}
	})

	t.Run("a POST that timed out but succeeded is not duplicated", func(t *testing.T) {
		m := &trackers.Memory{AfterFile: func(c int, _ timeline.ActionItem) error {
			if c%2 == 1 {
				return fmt.Errorf("post: %w", context.DeadlineExceeded)
			}
			return nil
		}}
		f := &trackers.Filer{Service: m, Backoff: 1}
		out, err := f.File(ctx, items(n))
		if err != nil {
			t.Fatal(err)
		}
		if got := distinct(t, m); got != n || len(m.Tickets()) != n {
			t.Errorf("%d tickets; want %d", len(m.Tickets()), n)
		}
		if out[0].Status != trackers.StatusRecovered || out[0].Ticket.ID == "" {
			t.Errorf("first item: %+v; want recovered with its ticket", out[0])
		}
	})

	t.Run("a failed create is retried only after a lookup", func(t *testing.T) {
		var lookupsBefore []int
		m := &trackers.Memory{}
		m.BeforeFile = func(c int, _ timeline.ActionItem) error {
			_, l := m.Calls()
			lookupsBefore = append(lookupsBefore, l)
			if c == 1 {
				return errDown
			}
			return nil
		}
		f := &trackers.Filer{Service: m, Backoff: 1}
		if _, err := f.File(ctx, items(1)); err != nil {
			t.Fatal(err)
		}
		if want := []int{1, 2}; fmt.Sprint(lookupsBefore) != fmt.Sprint(want) {
			t.Errorf("lookups before each create: %v; want %v", lookupsBefore, want)
		}
	})

	t.Run("a permanent error is not retried", func(t *testing.T) {
		m := &trackers.Memory{BeforeFile: func(int, timeline.ActionItem) error {
			return trackers.Permanent(errors.New("400 summary too long"))
		}}
		f := &trackers.Filer{Service: m, Backoff: 1}
		if _, err := f.File(ctx, items(1)); !trackers.IsPermanent(err) {
			t.Fatalf("err %v; want permanent", err)
		}
		if files, _ := m.Calls(); files != 1 {
			t.Errorf("%d creates; want 1", files)
		}
	})

	t.Run("dry run creates nothing and prints the plan", func(t *testing.T) {
		m := &trackers.Memory{}
		ledger := &trackers.MemoryLedger{}
		f := &trackers.Filer{Service: m, Ledgers: []trackers.Ledger{ledger}}
		// One item filed for real, so the plan shows only the rest.
		if _, err := f.File(ctx, items(1)); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		dry, plan := f.DryRun(&buf)
		out, err := dry.File(ctx, items(3))
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Tickets()) != 1 || ledger.Records() != 1 {
			t.Errorf("dry run wrote: %d tickets, %d ledger records; want 1 and 1", len(m.Tickets()), ledger.Records())
		}
		if got := len(plan.Plan()); got != 2 {
			t.Errorf("plan has %d items; want 2", got)
		}
		if out[0].Status != trackers.StatusRecorded || out[1].Status != trackers.StatusPlanned {
			t.Errorf("statuses %s, %s; want recorded, planned", out[0].Status, out[1].Status)
		}
		if got := strings.Count(buf.String(), "would file"); got != 2 {
			t.Errorf("printed plan:\n%s\nwant 2 lines", buf.String())
		}
	})

	t.Run("an unreadable ledger stops filing", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "wrapup.json")
		if err := os.WriteFile(path, []byte("[1,2"), 0o600); err != nil {
			t.Fatal(err)
		}
		m := &trackers.Memory{}
		f := &trackers.Filer{Service: m, Ledgers: []trackers.Ledger{&folder.Ledger{Path: path}}}
		_, err := f.File(ctx, items(1))
		if err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("err %v; want one naming %s", err, path)
		}
		if len(m.Tickets()) != 0 {
			t.Error("filed despite the broken ledger")
		}
	})
}
