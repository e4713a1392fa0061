package trackers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"time"

	"github.com/wrapup/wrapup/timeline"
)

// IntentLedger is a [Ledger] that also keeps intents: the record, written
// before each create request, that an item's ticket may exist, and the
// latest time its create may take effect. A run killed right after a
// create, or a create answered 500 after it took effect, leaves an intent
// and no ticket; where the tracker's search lags (Jira Cloud), the next
// run then waits until [Filer.SearchLag] after that time before it creates
// again, instead of filing a duplicate that the search could not yet see.
type IntentLedger interface {
	Ledger
	// Intents returns the intents recorded, by item key. Recording a
	// key's ticket withdraws its intent.
	Intents(ctx context.Context) (map[string]time.Time, error)
	// SetIntent records the intent to create key's ticket, which may take
	// effect until at; the zero at withdraws it (a create that proved
	// nothing was made).
	SetIntent(ctx context.Context, key string, at time.Time) error
}

// pollEvery is how often a wait for the search asks it again.
func pollEvery(lag time.Duration) time.Duration {
	return min(max(lag/4, time.Second), 15*time.Second)
}

// loadIntents returns, by key, the latest intent any ledger holds for a
// key no ledger has a ticket for.
func (f *Filer) loadIntents(ctx context.Context, known []map[string]timeline.Ticket) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	for i, l := range f.Ledgers {
		il, ok := l.(IntentLedger)
		if !ok {
			continue
		}
		m, err := il.Intents(ctx)
		if err != nil {
			return nil, fmt.Errorf("load intents of ledger %d: %w", i, err)
		}
		for k, at := range m {
			if at.After(out[k]) {
				out[k] = at
			}
		}
	}
	for _, m := range known {
		for k := range m {
			delete(out, k)
		}
	}
	return out, nil
}

// waitOut waits, for the items of pending that an earlier run meant to
// create, until what that create made would show in searches (SearchLag
// after the intent's time), asking the search
// again meanwhile: what it finds joins found, and what it still does not
// find once the lag has passed was never created.
func (f *Filer) waitOut(ctx context.Context, log *slog.Logger, pending []string, intents map[string]time.Time, found map[string]timeline.Ticket) error {
	if f.SearchLag <= 0 || !lagging(f.Service) {
		return nil
	}
	var keys []string
	var until time.Time
	for _, k := range pending {
		if at, ok := intents[k]; ok {
			if _, ok := found[k]; !ok && f.now().Before(at.Add(f.SearchLag)) {
				keys = append(keys, k)
				until = latest(until, at.Add(f.SearchLag))
			}
		}
	}
	if len(keys) == 0 {
		return nil
	}
	log.Warn("an earlier run meant to file these items and the tracker's search does not show them yet; waiting out its search lag before filing them",
		"items", len(keys), "until", until.UTC().Format(time.RFC3339), "search_lag", f.SearchLag)
	if f.OnWait != nil {
		f.OnWait(slices.Clone(keys), until)
	}
	for len(keys) > 0 {
		now := f.now()
		next := until
		for _, k := range keys {
			if d := intents[k].Add(f.SearchLag); d.Before(next) {
				next = d
			}
		}
		if err := f.sleep(ctx, min(next.Sub(now), pollEvery(f.SearchLag))); err != nil {
			return fmt.Errorf("waiting for the tracker's search: %w", err)
		}
		got, err := f.Service.Lookup(ctx, keys)
		if err != nil {
			return fmt.Errorf("look up %d items an earlier run meant to file: %w", len(keys), err)
		}
		maps.Copy(found, got)
		now = f.now()
		keys = slices.DeleteFunc(keys, func(k string) bool {
			_, ok := got[k]
			return ok || !now.Before(intents[k].Add(f.SearchLag))
		})
	}
	return nil
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// intend records in every IntentLedger that key's ticket may exist from
// now on: written before the create request, or the create is not sent.
// The request may take effect as long as it is in flight, so the intent's
// time is when it will have timed out at the latest.
func (f *Filer) intend(ctx context.Context, key string) error {
	inFlight := f.CreateTimeout
	if inFlight <= 0 {
		inFlight = 30 * time.Second
	}
	return f.setIntent(ctx, key, f.now().Add(inFlight))
}

// settle brings key's intent forward to now, once a create whose outcome
// is unknown (a 5xx, a timeout) has ended: it took effect by now, if at
// all.
func (f *Filer) settle(ctx context.Context, key string) {
	// Failing here leaves the later time in place: a longer wait, no more.
	_ = f.setIntent(context.WithoutCancel(ctx), key, f.now())
}

func (f *Filer) setIntent(ctx context.Context, key string, at time.Time) error {
	var errs []error
	for i, l := range f.Ledgers {
		if il, ok := l.(IntentLedger); ok {
			if err := il.SetIntent(ctx, key, at); err != nil {
				errs = append(errs, fmt.Errorf("record the intent to file %s in ledger %d: %w", key, i, err))
			}
		}
	}
	return errors.Join(errs...)
}

// withdraw removes key's intent where a create proved nothing was made.
func (f *Filer) withdraw(ctx context.Context, key string) {
	// An intent left behind costs the next run a wait, no more.
	_ = f.setIntent(context.WithoutCancel(ctx), key, time.Time{})
}

func (f *Filer) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

func (f *Filer) sleep(ctx context.Context, d time.Duration) error {
	if f.Sleep != nil {
		return f.Sleep(ctx, d)
	}
	return Sleep(ctx, d)
}
