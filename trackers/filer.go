package trackers

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/wrapup/wrapup/internal/ctxtime"
	"github.com/wrapup/wrapup/timeline"
)

// Status says how an item's ticket was obtained by a [Filer].
type Status string

// The statuses of an [Outcome].
const (
	StatusRecorded  Status = "recorded"  // found in a ledger
	StatusFound     Status = "found"     // found in the tracker by its key
	StatusCreated   Status = "created"   // filed by this run
	StatusRecovered Status = "recovered" // a create that failed or timed out had in fact succeeded
	StatusPlanned   Status = "planned"   // dry run: would be filed
	StatusFailed    Status = "failed"
)

// Outcome is what happened to one item.
type Outcome struct {
	Key    string
	Status Status
	Ticket timeline.Ticket // zero when planned, or failed with nothing created
	Err    error           // set when failed, or when a ledger could not be written
	// Unassigned says why the item was filed without its assignee, when
	// this run filed it so (see [Filed]); for the run's notes and the
	// postmortem's owner column.
	Unassigned string
	// OwnerNote is Filed.OwnerNote: Unassigned in a few words.
	OwnerNote string
}

// Filer files action items idempotently through the three-ledger protocol:
// every ledger, then the tracker, is asked before anything is created, and
// every ticket is recorded in every ledger (backfilling those that lack it).
type Filer struct {
	// Service is the tracker.
	Service Service
	// Ledgers are asked in order before the tracker; the first that knows a
	// key wins. Each must be safe for concurrent Record calls.
	Ledgers []Ledger
	// Concurrency bounds creations in flight; 0 means 1. Jira takes up to
	// 4; GitHub wants 1 (its writes are serialised anyway).
	Concurrency int
	// Attempts bounds creates per item; 0 means 3. Between two attempts the
	// key is always looked up first.
	Attempts int
	// Backoff is the pause before a retry, doubled each time; 0 means 1s.
	Backoff time.Duration
	// Log receives progress; nil discards it.
	Log *slog.Logger

	// SearchLag is how long a created ticket may stay invisible to the
	// tracker's lookups (tracker.jira.search_lag). Where they lag (a
	// [Lagger]), an item an earlier run meant to create (an intent in an
	// [IntentLedger]) and the lookup does not find is created only once
	// SearchLag has passed since that create may have taken effect. 0
	// never waits.
	SearchLag time.Duration
	// CreateTimeout is the longest a create request stays in flight: an
	// intent recorded before it says the create may take effect until
	// then (and is brought forward when the request ends without an
	// answer that settles it). 0 means 30s, the trackers' default request
	// timeout.
	CreateTimeout time.Duration
	// OnWait, when set, is told which items wait for the search, and
	// until when, before the wait begins.
	OnWait func(keys []string, until time.Time)
	// Now and Sleep are the clock for intents and the wait; nil means
	// time.Now and [Sleep]. Tests scale them.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
}

// File files every item not filed yet and returns one outcome per item, in
// order. The error joins the failures; outcomes are returned even then.
func (f *Filer) File(ctx context.Context, items []timeline.ActionItem) ([]Outcome, error) {
	log := f.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	// What each ledger knows, so that backfilling writes only what is missing.
	known := make([]map[string]timeline.Ticket, len(f.Ledgers))
	for i, l := range f.Ledgers {
		m, err := l.Load(ctx)
		if err != nil {
			// Going on without a ledger could file duplicates.
			return nil, fmt.Errorf("load ledger %d: %w", i, err)
		}
		known[i] = m
	}
	intents, err := f.loadIntents(ctx, known)
	if err != nil {
		return nil, err
	}

	out := make([]Outcome, len(items))
	var missing []string
	for i, it := range items {
		out[i].Key = it.Key
		if it.Key == "" {
			out[i].Status, out[i].Err = StatusFailed, fmt.Errorf("item %d (%q): no key", i, it.Summary)
			continue
		}
		for _, m := range known {
			if t, ok := m[it.Key]; ok {
				out[i].Status, out[i].Ticket = StatusRecorded, t
				break
			}
		}
		if out[i].Status == "" {
			missing = append(missing, it.Key)
		}
	}
	found := map[string]timeline.Ticket{}
	if len(missing) > 0 {
		if found, err = f.Service.Lookup(ctx, missing); err != nil {
			return nil, fmt.Errorf("look up %d items: %w", len(missing), err)
		}
		if found == nil {
			found = map[string]timeline.Ticket{} // waitOut adds to it
		}
		if err := f.waitOut(ctx, log, missing, intents, found); err != nil {
			return nil, err
		}
	}

	var todo []int
	for i, it := range items {
		switch {
		case out[i].Status == StatusRecorded:
		case out[i].Status == StatusFailed:
			continue
		default:
			t, ok := found[it.Key]
			if !ok {
				todo = append(todo, i)
				continue
			}
			out[i].Status, out[i].Ticket = StatusFound, t
		}
		out[i].Err = f.record(ctx, known, it.Key, out[i].Ticket)
	}
	log.Info("filing action items", "items", len(items), "known", len(items)-len(todo), "to_file", len(todo))

	conc := max(f.Concurrency, 1)
	sem := make(chan struct{}, conc)
	var wg sync.WaitGroup
	var haltMu sync.Mutex
	var halted error
	for _, i := range todo {
		sem <- struct{}{}
		haltMu.Lock()
		h := halted
		haltMu.Unlock()
		if h != nil {
			<-sem
			out[i].Status, out[i].Err = StatusFailed, fmt.Errorf("not filed: filing stopped at an earlier item: %w", h)
			continue
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			out[i] = f.create(ctx, log, items[i])
			if IsHalt(out[i].Err) {
				haltMu.Lock()
				halted = cmp.Or(halted, out[i].Err)
				haltMu.Unlock()
			}
			if out[i].Ticket.ID != "" {
				if err := f.record(ctx, known, items[i].Key, out[i].Ticket); err != nil {
					out[i].Err = err
				}
			}
		}()
	}
	wg.Wait()

	var errs []error
	for _, o := range out {
		if o.Err != nil {
			errs = append(errs, fmt.Errorf("item %s: %w", o.Key, o.Err))
		}
	}
	return out, errors.Join(errs...)
}

// create files one item. A failed create may have succeeded on the
// tracker's side (a timeout, a 5xx after the commit), so before any retry
// the key is looked up, never retried blind.
func (f *Filer) create(ctx context.Context, log *slog.Logger, it timeline.ActionItem) Outcome {
	attempts := f.Attempts
	if attempts <= 0 {
		attempts = 3
	}
	backoff := f.Backoff
	if backoff <= 0 {
		backoff = time.Second
	}
	o := Outcome{Key: it.Key}
	for attempt := 1; ; attempt++ {
		if ierr := f.intend(ctx, it.Key); ierr != nil {
			// Without the intent, a run killed after this create could
			// file the item again: better not to create it now.
			o.Status, o.Err = StatusFailed, fmt.Errorf("not filed: %w", ierr)
			return o
		}
		t, err := f.fileOne(ctx, it)
		switch {
		case err == nil:
			o.Status, o.Ticket, o.Unassigned, o.OwnerNote = StatusCreated, t.Ticket, t.Unassigned, t.OwnerNote
			log.Info("filed", "key", it.Key, "ticket", t.ID)
			if t.Unassigned != "" {
				log.Warn("filed unassigned", "key", it.Key, "ticket", t.ID, "why", t.Unassigned)
			}
			return o
		case IsHalt(err):
			// Created, perhaps, but not as the ledgers need it: record what
			// exists and file nothing more.
			o.Status, o.Ticket, o.Err = StatusFailed, t.Ticket, err
			return o
		case errors.Is(err, ErrDryRun):
			o.Status = StatusPlanned
			return o
		case IsPermanent(err):
			f.withdraw(ctx, it.Key)
			o.Status, o.Err = StatusFailed, err
			return o
		}
		f.settle(ctx, it.Key)
		log.Warn("file failed, looking the key up before anything else", "key", it.Key, "attempt", attempt, "err", err)
		// The lookup must run even if ctx is what ended the create, so
		// that a ticket that exists is still recorded.
		lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		got, lerr := f.Service.Lookup(lctx, []string{it.Key})
		cancel()
		if lerr != nil {
			o.Status, o.Err = StatusFailed, fmt.Errorf("%w (and the lookup that must precede a retry failed: %v)", err, lerr)
			return o
		}
		if t, ok := got[it.Key]; ok {
			o.Status, o.Ticket = StatusRecovered, t
			log.Info("the failed create had succeeded", "key", it.Key, "ticket", t.ID)
			return o
		}
		if lagging(f.Service) {
			// The create may have succeeded where the search cannot see
			// it yet: a retry now could file it twice. A later run looks
			// again once the index has caught up.
			o.Status = StatusFailed
			o.Err = fmt.Errorf("%w (the create may have succeeded, and this tracker's search lags, so it is not retried in this run; the next run looks it up again)", err)
			return o
		}
		if attempt >= attempts || ctx.Err() != nil {
			o.Status, o.Err = StatusFailed, err
			return o
		}
		if serr := Sleep(ctx, backoff<<(attempt-1)); serr != nil {
			o.Status, o.Err = StatusFailed, err
			return o
		}
	}
}

// fileOne files through FileReport where the tracker has it.
func (f *Filer) fileOne(ctx context.Context, it timeline.ActionItem) (Filed, error) {
	if r, ok := f.Service.(Reporter); ok {
		return r.FileReport(ctx, it)
	}
	t, err := f.Service.File(ctx, it)
	return Filed{Ticket: t}, err
}

// Lagger is a Finder whose lookups may miss a just-created ticket (Jira
// Cloud's search is eventually consistent): a failed create is then never
// retried in the same run.
type Lagger interface {
	LookupLags() bool
}

func lagging(s Service) bool {
	l, ok := s.(Lagger)
	return ok && l.LookupLags()
}

// record writes the ticket to every ledger that does not know it yet.
func (f *Filer) record(ctx context.Context, known []map[string]timeline.Ticket, key string, t timeline.Ticket) error {
	var errs []error
	for i, l := range f.Ledgers {
		if old, ok := known[i][key]; ok && old == t {
			continue
		}
		// The ledgers are written even when ctx has ended: a ticket that
		// exists and is not recorded is what makes duplicates.
		if err := l.Record(context.WithoutCancel(ctx), key, t); err != nil {
			errs = append(errs, fmt.Errorf("record %s in ledger %d: %w", t.ID, i, err))
		}
	}
	return errors.Join(errs...)
}

// DryRun returns a copy of f that plans instead of filing: its tracker is
// wrapped in a [DryRun] writing the plan to out (nil for none), and its
// ledgers are read but never written.
func (f *Filer) DryRun(out io.Writer) (*Filer, *DryRun) {
	g := *f
	d := NewDryRun(f.Service, out)
	g.Service = d
	g.Ledgers = make([]Ledger, len(f.Ledgers))
	for i, l := range f.Ledgers {
		g.Ledgers[i] = ReadOnly(l)
	}
	return &g, d
}

// Sleep waits for d or until ctx ends, whichever is first.
func Sleep(ctx context.Context, d time.Duration) error { return ctxtime.Sleep(ctx, d) }
