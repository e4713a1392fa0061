package github_test

import (
	"testing"

	"github.com/wrapup/wrapup/trackers"
	"github.com/wrapup/wrapup/trackers/github"
	"github.com/wrapup/wrapup/trackers/githubtest"
	"github.com/wrapup/wrapup/trackers/trackertest"
)

// TestIntentContract: GitHub's list by label is consistent, so a kill
// after a create and a rerun at once find the issue without waiting.
func TestIntentContract(t *testing.T) {
	trackertest.RunIntents(t, func(t *testing.T, clk *trackertest.Clock) (trackers.Service, func() map[string]int) {
		srv, tr := newGitHub(t, githubtest.Options{}, nil)
		return tr, func() map[string]int {
			n := map[string]int{}
			for _, is := range srv.Issues(repo) {
				if k, ok := github.MarkerKey(is.Body); ok {
					n[k]++
				}
			}
			return n
		}
	})
}
