package jira_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/wrapup/wrapup/trackers"
	"github.com/wrapup/wrapup/trackers/jira"
	"github.com/wrapup/wrapup/trackers/jiratest"
)

// recorder keeps the bodies of the requests sent, to check what goes on
// the wire.
type recorder struct {
	mu     sync.Mutex
	bodies []string
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(b))
		r.mu.Lock()
		r.bodies = append(r.bodies, string(b))
		r.mu.Unlock()
	}
	return http.DefaultTransport.RoundTrip(req)
}

func (r *recorder) all() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.bodies...)
}

var people = []jiratest.User{
	{AccountID: "5b10a2844c20165700ede21g", Name: "dave", Email: "dave@example.com", DisplayName: "Dave"},
	{AccountID: "5b10ac8d82e05b22cc7d4ef5", Name: "erin", Email: "erin+ops@example.com", DisplayName: "Erin"},
}

// newJira starts an emulator and returns it with a tracker pointed at it.
func newJira(t testing.TB, opts jiratest.Options, edit func(*jira.Config)) (*jiratest.Server, *jira.Tracker) {
	t.Helper()
	if opts.Users == nil {
		opts.Users = people
	}
	srv, url := jiratest.NewTestServer(t, opts)
	return srv, newTracker(t, url, srv.Options().Deployment, edit)
}

// newTracker returns a tracker for the emulator at url.
func newTracker(t testing.TB, url, dep string, edit func(*jira.Config)) *jira.Tracker {
	t.Helper()
	cfg := jira.Config{
		URL: url, Deployment: dep, User: "bot@example.com", Token: "secret-token",
		Project: "OPS", IssueType: "Task", Labels: []string{"postmortem"}, Channel: "incident-2026-03-26-api",
		PostmortemURL: "https://ci.example.com/postmortems/2026-03-26-api/postmortem.html",
		RateLimit:     &trackers.RateLimitTransport{Sleep: func(context.Context, time.Duration) error { return nil }},
		PageSize:      50,
	}
	if edit != nil {
		edit(&cfg)
	}
	tr, err := jira.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// clock is a settable clock for the emulator's search delay.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
