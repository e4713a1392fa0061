package github_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wrapup/wrapup/trackers"
	"github.com/wrapup/wrapup/trackers/github"
	"github.com/wrapup/wrapup/trackers/githubtest"
)

// TestDroppedLabelsStopFiling: a token without push access gets its
// labels dropped silently (TestNoPushDropsLabelsAndAssignees in
// githubtest). The incident label is how a rerun finds the issue, so the
// first such issue stops the filing, with a message naming cause and fix,
// and is still recorded in the other ledgers.
func TestDroppedLabelsStopFiling(t *testing.T) {
	ctx := context.Background()
	srv, tr := newGitHub(t, githubtest.Options{RepoSetup: []githubtest.Repo{
		// The labels exist (a maintainer made them), so creating issues
		// works and only the labels go.
		{Name: repo, Push: false, Labels: []string{"postmortem", github.IncidentLabel(channel)}},
	}}, nil)
	ledger := &trackers.MemoryLedger{}
	out, err := (&trackers.Filer{Service: tr, Ledgers: []trackers.Ledger{ledger}}).File(ctx, items(3))
	if err == nil {
		t.Fatal("filing succeeded with the labels dropped")
	}
	for _, want := range []string{"without its label", "push access", "write access"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error does not say %q: %v", want, err)
		}
	}
	if n := len(srv.Issues(repo)); n != 1 {
		t.Errorf("%d issues created; want 1, then a stop", n)
	}
	if out[0].Ticket.ID == "" || out[0].Status != trackers.StatusFailed {
		t.Errorf("first outcome %+v; want failed, with the ticket that exists", out[0])
	}
	for _, o := range out[1:] {
		if o.Status != trackers.StatusFailed || o.Ticket.ID != "" || !trackers.IsHalt(o.Err) {
			t.Errorf("later outcome %+v; want not filed", o)
		}
	}
	got, _ := ledger.Load(ctx)
	if got[out[0].Key] != out[0].Ticket {
		t.Errorf("the unlabelled issue is not in the ledger: %v", got)
	}
}

// TestSecondaryLimitWithoutRetryAfterWaitsAMinute: GitHub's "Otherwise,
// wait for at least one minute before retrying" (Rate limits for the REST
// API), through the tracker's own transport.
func TestSecondaryLimitWithoutRetryAfterWaitsAMinute(t *testing.T) {
	var mu sync.Mutex
	var waits []time.Duration
	srv, tr := newGitHub(t, githubtest.Options{WriteSpacing: 300 * time.Millisecond, SecondaryNoRetryAfter: true}, func(c *github.Config) {
		c.RateLimit = &trackers.RateLimitTransport{Sleep: func(ctx context.Context, d time.Duration) error {
			mu.Lock()
			waits = append(waits, d)
			mu.Unlock()
			return trackers.Sleep(ctx, d/100) // a minute is 600ms
		}}
	})
	if _, err := (&trackers.Filer{Service: tr}).File(context.Background(), items(2)); err != nil {
		t.Fatal(err)
	}
	if len(srv.Admin().Stats().RateLimited) == 0 {
		t.Fatal("no secondary limit was hit: the test tests nothing")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(waits) == 0 || waits[0] < time.Minute {
		t.Errorf("waits %v; want at least a minute when GitHub names no time", waits)
	}
}

// TestNoPushNoLabelsStopsFiling: without push access the labels cannot
// be created either (403, githubtest's TestNoPushDropsLabelsAndAssignees):
// the first item says why and no item is filed.
func TestNoPushNoLabelsStopsFiling(t *testing.T) {
	srv, tr := newGitHub(t, githubtest.Options{RepoSetup: []githubtest.Repo{{Name: repo, Push: false}}}, nil)
	out, err := (&trackers.Filer{Service: tr}).File(context.Background(), items(3))
	if !trackers.IsHalt(err) || !strings.Contains(err.Error(), "push access") {
		t.Fatalf("err = %v; want a halt naming push access", err)
	}
	if n := len(srv.Issues(repo)); n != 0 {
		t.Errorf("%d issues created", n)
	}
	for _, o := range out {
		if o.Status != trackers.StatusFailed {
			t.Errorf("%+v", o)
		}
	}
}
