package github_test

import (
	"context"
	"strings"
	"testing"

	"github.com/wrapup/wrapup/internal/emulator"
	"github.com/wrapup/wrapup/trackers"
	"github.com/wrapup/wrapup/trackers/githubtest"
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

func TestLookupIsOneListingPerIncident(t *testing.T) {
	tests := []struct {
		name    string
		perPage int
		want    int
	}{{"one page", 100, 1}, {"pages of 8", 8, 3}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, tr := newGitHub(t, githubtest.Options{MaxPerPage: tt.perPage}, nil)
			its := items(20)
			f := &trackers.Filer{Service: tr}
			if _, err := f.File(context.Background(), its); err != nil {
				t.Fatal(err)
			}
			before := srv.Admin().Stats()
			if _, err := f.File(context.Background(), its); err != nil {
				t.Fatal(err)
			}
			after := srv.Admin().Stats()
			if got := calls(after, "github") - calls(before, "github"); got != tt.want {
				t.Errorf("a rerun over 20 filed items made %d calls; want %d (%v)", got, tt.want, after.Calls)
			}
		})
	}
}

// BenchmarkFile reports the API calls per item of a first run (label set
// up, a lookup, creates) and of a rerun (the lookup only).
func BenchmarkFile(b *testing.B) {
	const n = 20
	var first, rerun float64
	for b.Loop() {
		srv, tr := newGitHub(b, githubtest.Options{}, nil)
		f := &trackers.Filer{Service: tr}
		if _, err := f.File(context.Background(), items(n)); err != nil {
			b.Fatal(err)
		}
		c1 := calls(srv.Admin().Stats(), "github")
		if _, err := f.File(context.Background(), items(n)); err != nil {
			b.Fatal(err)
		}
		first += float64(c1) / n
		rerun += float64(calls(srv.Admin().Stats(), "github")-c1) / n
	}
	b.ReportMetric(first/float64(b.N), "calls/item")
	b.ReportMetric(rerun/float64(b.N), "rerun-calls/item")
}
