package jira_test

import (
	"context"
	"strings"
	"testing"

	"github.com/wrapup/wrapup/internal/emulator"
	"github.com/wrapup/wrapup/trackers"
	"github.com/wrapup/wrapup/trackers/jiratest"
)

func calls(s emulator.Stats, prefix string) int {
	n := 0
	for k, v := range s.Calls {
		if strings.HasPrefix(k, prefix) {
			n += v
		}
	}
	return n
}

func TestLookupIsOneCallPerIncident(t *testing.T) {
	for _, dep := range []string{jiratest.Cloud, jiratest.DataCenter} {
		t.Run(dep, func(t *testing.T) {
			srv, tr := newJira(t, jiratest.Options{Deployment: dep}, nil)
			its := items(20)
			f := &trackers.Filer{Service: tr, Concurrency: 4}
			if _, err := f.File(context.Background(), its); err != nil {
				t.Fatal(err)
			}
			before := srv.Admin().Stats()
			if _, err := f.File(context.Background(), its); err != nil {
				t.Fatal(err)
			}
			after := srv.Admin().Stats()
			if got := calls(after, "jira") - calls(before, "jira"); got != 1 {
				t.Errorf("a rerun over 20 filed items made %d calls; want 1 search (%v)", got, after.Calls)
			}
		})
	}
}

// BenchmarkFile reports the API calls per item of a first run (creates)
// and of a rerun (lookups only).
func BenchmarkFile(b *testing.B) {
	const n = 20
	for _, dep := range []string{jiratest.Cloud, jiratest.DataCenter} {
		b.Run(dep, func(b *testing.B) {
			var first, rerun float64
			for b.Loop() {
				srv, tr := newJira(b, jiratest.Options{Deployment: dep}, nil)
				f := &trackers.Filer{Service: tr, Concurrency: 4}
				if _, err := f.File(context.Background(), items(n)); err != nil {
					b.Fatal(err)
				}
				c1 := calls(srv.Admin().Stats(), "jira")
				if _, err := f.File(context.Background(), items(n)); err != nil {
					b.Fatal(err)
				}
				first += float64(c1) / n
				rerun += float64(calls(srv.Admin().Stats(), "jira")-c1) / n
			}
			b.ReportMetric(first/float64(b.N), "calls/item")
			b.ReportMetric(rerun/float64(b.N), "rerun-calls/item")
		})
	}
}
