package slackapi_test

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/wrapup/wrapup/archive/archivetest"
	"github.com/wrapup/wrapup/archive/slackapi"
	"github.com/wrapup/wrapup/archive/slacktest"
	"github.com/wrapup/wrapup/internal/emulator"
)

// TestManyRateLimitsAreWaitedOut: 15 429s in a row on one call, each with
// a Retry-After, are waited out; there is no count limit (there was one,
// of 10, which aborted the export).
func TestManyRateLimitsAreWaitedOut(t *testing.T) {
	t.Parallel() // it waits out 15 one-second Retry-Afters, beside the others
	e := start(t, slacktest.Options{}, flatChannel(t, "C0SLOW", 5))
	e.faults(t, emulator.Fault{Service: "slack", Method: "conversations.history", Times: 15, Status: 429, RetryAfter: 1})
	res, _ := export(t, e.c, "C0SLOW", slackapi.ExportOptions{})
	if res.Stats.RateLimited != 15 || res.Counts.Messages != 5 {
		t.Errorf("%d 429s, %d messages; want 15 and 5", res.Stats.RateLimited, res.Counts.Messages)
	}
	if res.Stats.Paused < 14*time.Second {
		t.Errorf("paused %v, want the 15 Retry-Afters honoured", res.Stats.Paused)
	}
}

// TestRateLimitBudget: past Options.RateLimitBudget the call gives up
// with an error saying how long it waited and why.
func TestRateLimitBudget(t *testing.T) {
	t.Parallel()
	e := start(t, slacktest.Options{}, flatChannel(t, "C0SLOW", 5))
	e.faults(t, emulator.Fault{Service: "slack", Method: "conversations.history", Times: 15, Status: 429, RetryAfter: 1})
	c := slackapi.New(token, slackapi.Options{APIURL: e.url, Limiter: slackapi.NewLimiter(1e6),
		RateLimitBudget: 2500 * time.Millisecond})
	_, err := c.Export(t.Context(), "C0SLOW", slackapi.ExportOptions{})
	var be *slackapi.BudgetError
	if !errors.Is(err, slackapi.ErrRateLimitBudget) || !errors.As(err, &be) || slackapi.Code(err) != "ratelimited" {
		t.Fatalf("err = %v, want the budget spent", err)
	}
	if be.Limited != 3 || be.Waited < 1900*time.Millisecond || be.Waited > 2500*time.Millisecond {
		t.Errorf("%d 429s, waited %v; want 3 and about 2s", be.Limited, be.Waited)
	}
	for _, want := range []string{"conversations.history", "rate limited 3 times", "waited 2s", "2.5s budget", "RateLimitBudget"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

// TestDistributedLimitsByPages: an export from a distributed app's
// workspace gets 15-message pages where it asked for 999, completes, and
// says once, in the log and in Notes, what is happening and the fix.
func TestDistributedLimitsByPages(t *testing.T) {
	t.Parallel()
	for _, distributed := range []bool{false, true} {
		// 40 messages and 4 threads, fetched 4 at a time by the export.
		seed := archivetest.Generate(archivetest.Options{Messages: 40, Threads: 4})
		seed.Channel.Members = append(seed.Channel.Members, "U0EMUBOT") // invited: joining costs a call of the minute
		e := start(t, slacktest.Options{Distributed: distributed, RateScale: 600}, seed)
		var log bytes.Buffer
		e.c = slackapi.New(token, slackapi.Options{APIURL: e.url, Limiter: slackapi.NewLimiter(600),
			Logger: slog.New(slog.NewTextHandler(&log, nil))})
		res, got := export(t, e.c, seed.Channel.ID, slackapi.ExportOptions{})
		if d := diffMessages(seed, got); d != "" {
			t.Errorf("distributed %v: archive differs (-seed +exported):\n%s", distributed, d)
		}
		// A second read says nothing new.
		if _, err := e.c.TopLevel(t.Context(), seed.Channel.ID); err != nil {
			t.Fatal(err)
		}
		notes := e.c.Notes()
		warned := strings.Count(log.String(), "level=WARN msg=\"Slack is holding this app")
		if !distributed {
			if len(notes) != 0 || warned != 0 {
				t.Errorf("internal app: notes %q, %d warnings; want none", notes, warned)
			}
			continue
		}
		if len(notes) != 1 || notes[0] != slackapi.DistributedLimitsNote || warned != 1 {
			t.Errorf("distributed app: notes %q, %d warnings; want the note once", notes, warned)
		}
		for _, want := range []string{"1 call a minute", "15 messages", "internal app", "installed only in your own workspace"} {
			if !strings.Contains(slackapi.DistributedLimitsNote, want) {
				t.Errorf("the note does not say %q", want)
			}
		}
		// The first page gives the limits away and the next call meets the
		// minute; from then on the client paces history and replies itself,
		// one call a minute however many threads are fetched at once.
		if _, limited := e.calls(); limited != 1 || res.Stats.RateLimited != 1 {
			t.Errorf("%d 429s (%d in the export), want 1: the client does not pace itself", limited, res.Stats.RateLimited)
		}
	}
}

// TestDistributedLimitsByRetryAfter: a 429 on history asking to wait a
// minute is recognised too, before any short page, and a budget shorter
// than the Retry-After fails the call at once instead of sleeping.
func TestDistributedLimitsByRetryAfter(t *testing.T) {
	t.Parallel()
	seed := flatChannel(t, "C0DIST", 3)
	seed.Channel.Members = []string{"U0EMUBOT"}
	e := start(t, slacktest.Options{Distributed: true}, seed)
	c := slackapi.New(token, slackapi.Options{APIURL: e.url, Limiter: slackapi.NewLimiter(1e6),
		RateLimitBudget: 10 * time.Second})
	if _, err := c.Message(t.Context(), "C0DIST", sec(1)); err != nil {
		t.Fatal(err)
	}
	if n := c.Notes(); n != nil {
		t.Fatalf("notes after one call: %q", n)
	}
	t0 := time.Now()
	_, err := c.Message(t.Context(), "C0DIST", sec(2))
	if !errors.Is(err, slackapi.ErrRateLimitBudget) || !strings.Contains(err.Error(), "next wait of 1m0s") {
		t.Fatalf("err = %v, want the budget refusing a minute's wait", err)
	}
	if d := time.Since(t0); d > 5*time.Second {
		t.Errorf("took %v to give up", d)
	}
	if n := c.Notes(); len(n) != 1 {
		t.Errorf("notes %q, want the distributed-app note", n)
	}
}
