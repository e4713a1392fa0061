package demo

import (
	"testing"

	"github.com/wrapup/wrapup/timeline"
)

// TestHistory: the two earlier sample incidents are resolved incidents of
// other months and severities than the main sample, with action items,
// so that the demo's index has trends to show.
func TestHistory(t *testing.T) {
	arcs, err := HistoryArchives(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	rs, err := timeline.Compile(timeline.Defaults())
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		title, severity, month string
		items                  int
	}{
		{"Search timeouts", "SEV3", "2026-01", 2},
		{"Login outage", "SEV1", "2026-02", 3},
	}
	if len(arcs) != len(want) {
		t.Fatalf("%d history channels, want %d", len(arcs), len(want))
	}
	for i, a := range arcs {
		if len(a.Warnings) != 0 {
			t.Errorf("%s: warnings %v", a.Channel.Name, a.Warnings)
		}
		tl, err := timeline.Build(a, rs, timeline.Options{})
		if err != nil {
			t.Fatal(err)
		}
		inc, w := tl.Incident, want[i]
		if inc.Title != w.title || inc.Severity != w.severity || inc.Status != timeline.StatusResolved ||
			inc.DeclaredAt == nil || inc.DeclaredAt.Format("2006-01") != w.month || len(tl.ActionItems) != w.items ||
			tl.Metrics.TimeToMitigate == nil || tl.Metrics.TimeToResolve == nil {
			t.Errorf("%s: incident %+v, %d items, metrics %+v; want %+v", a.Channel.Name, inc, len(tl.ActionItems), tl.Metrics, w)
		}
	}
}
