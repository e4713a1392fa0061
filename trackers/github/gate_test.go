package github_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/wrapup/wrapup/trackers"
	"github.com/wrapup/wrapup/trackers/github"
	"github.com/wrapup/wrapup/trackers/githubtest"
)

// TestSharedGateSpacesWritesAcrossTrackers: a sweep files two incidents at
// once; with one gate their writes still go one at a time, so GitHub's
// secondary limit never answers.
func TestSharedGateSpacesWritesAcrossTrackers(t *testing.T) {
	for _, shared := range []bool{true, false} {
		srv, url := githubtest.NewTestServer(t, githubtest.Options{WriteSpacing: 30 * time.Millisecond})
		gate := new(github.WriteGate)
		var wg sync.WaitGroup
		for _, ch := range []string{"incident-a", "incident-b"} {
			cfg := github.Config{APIURL: url, Repo: repo, Token: "ghp_test", Channel: ch,
				WriteSpacing: 40 * time.Millisecond, RateLimit: &trackers.RateLimitTransport{Sleep: scaledSleep}}
			if shared {
				cfg.Gate = gate
			}
			tr, err := github.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			wg.Go(func() {
				// Unshared, the trackers collide and GitHub may refuse
				// them for a while: only the shared case must file.
				if _, err := (&trackers.Filer{Service: tr}).File(context.Background(), items(3)); err != nil && shared {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		limited := 0
		for _, n := range srv.Admin().Stats().RateLimited {
			limited += n
		}
		if shared && limited != 0 {
			t.Errorf("with a shared gate, %d writes met the secondary limit", limited)
		}
		if !shared && limited == 0 {
			t.Log("without a shared gate the two trackers happened not to collide")
		} else if !shared {
			t.Logf("without a shared gate: %d writes met the secondary limit", limited)
		}
	}
}
