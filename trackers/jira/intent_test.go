package jira_test

import (
	"strings"
	"testing"

	"github.com/wrapup/wrapup/trackers"
	"github.com/wrapup/wrapup/trackers/jiratest"
	"github.com/wrapup/wrapup/trackers/trackertest"
)

// TestIntentContract: Cloud's /search/jql is eventually consistent
// (Atlassian changelog CHANGE-2046); with its lag emulated, a kill after a
// create and a rerun at once file no duplicate. Data Center's search is
// consistent.
func TestIntentContract(t *testing.T) {
	for _, dep := range []string{jiratest.Cloud, jiratest.DataCenter} {
		t.Run(dep, func(t *testing.T) {
			trackertest.RunIntents(t, func(t *testing.T, clk *trackertest.Clock) (trackers.Service, func() map[string]int) {
				opts := jiratest.Options{Deployment: dep, Now: clk.Now}
				if dep == jiratest.Cloud {
					opts.SearchDelay = trackertest.SearchLag
				}
				srv, tr := newJira(t, opts, nil)
				return tr, func() map[string]int {
					n := map[string]int{}
					for _, is := range srv.Issues() {
						for _, l := range is.Labels {
							if k, ok := strings.CutPrefix(l, "wrapup-"); ok {
								n[k]++
							}
						}
					}
					return n
				}
			})
		})
	}
}
