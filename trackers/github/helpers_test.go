package github_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/wrapup/wrapup/timeline"
	"github.com/wrapup/wrapup/trackers"
	"github.com/wrapup/wrapup/trackers/github"
	"github.com/wrapup/wrapup/trackers/githubtest"
	"github.com/wrapup/wrapup/trackers/trackertest"
)

const repo = "octo/ops"

const channel = "incident-2026-03-26-api-latency"

// newGitHub starts an emulator and returns it with a tracker pointed at it
// as at a GitHub Enterprise server.
func newGitHub(t testing.TB, opts githubtest.Options, edit func(*github.Config)) (*githubtest.Server, *github.Tracker) {
	t.Helper()
	srv, url := githubtest.NewTestServer(t, opts)
	cfg := github.Config{
		APIURL: url, Repo: repo, Token: "ghp_test", Labels: []string{"postmortem"}, Channel: channel,
		Users:         map[string]string{"dave": "dave-gh"},
		PostmortemURL: "https://ci.example.com/postmortems/2026-03-26-api/postmortem.html",
		WriteSpacing:  time.Millisecond,
		PerPage:       100,
		RateLimit:     &trackers.RateLimitTransport{Sleep: scaledSleep},
	}
	if edit != nil {
		edit(&cfg)
	}
	tr, err := github.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return srv, tr
}

// scaledSleep waits a hundredth of d: tests keep the waits' order and
// proportions without their length.
func scaledSleep(ctx context.Context, d time.Duration) error { return trackers.Sleep(ctx, d/100) }

// dotCom sends requests for api.github.com to the emulator instead, to
// test github.com's URL layout.
type dotCom struct{ target *url.URL }

func (d dotCom) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Host != "api.github.com" {
		return nil, &url.Error{Op: req.Method, URL: req.URL.String(), Err: http.ErrNotSupported}
	}
	r := req.Clone(req.Context())
	r.URL.Scheme, r.URL.Host = d.target.Scheme, d.target.Host
	return http.DefaultTransport.RoundTrip(r)
}

func items(n int) []timeline.ActionItem {
	var its []timeline.ActionItem
	for i := range n {
		its = append(its, trackertest.Item("gh", i))
	}
	return its
}

// countByKey fails on any duplicate and returns the number of keys filed.
func countByKey(t *testing.T, srv *githubtest.Server) int {
	t.Helper()
	seen := map[string]int{}
	for _, is := range srv.Issues(repo) {
		k, ok := github.MarkerKey(is.Body)
		if !ok {
			continue
		}
		if prev, dup := seen[k]; dup {
			t.Errorf("key %s filed twice: #%d and #%d", k, prev, is.Number)
		}
		seen[k] = is.Number
	}
	return len(seen)
}

func hasLabel(labels []string, want string) bool {
	for _, l := range labels {
		if strings.EqualFold(l, want) {
			return true
		}
	}
	return false
}
