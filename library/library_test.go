package library_test

import (
	"context"
	"math"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/wrapup/wrapup/library"
)

var (
	genStart = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	genNow   = time.Date(2026, 9, 15, 12, 0, 0, 0, time.UTC)
)

// pick is the independent nearest-rank percentile: sort, then take the
// element at position ceil(p/100·n) counting from one.
func pick(vals []int64, p float64) *int64 {
	if len(vals) == 0 {
		return nil
	}
	s := append([]int64(nil), vals...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	v := s[int(math.Ceil(p/100*float64(len(s))))-1]
	return &v
}

type monthWant struct {
	Incidents                            int
	MedianTTM, P90TTM, MedianTTR, P90TTR *int64
	Late                                 int64
	Opened, Done, Open, Overdue          int
}

// TestTrends200 builds the index over 200 generated incidents across 18
// months and checks every month's count, medians, p90s and action items
// against figures computed here from the generator's specs.
func TestTrends200(t *testing.T) {
	specs := generate(200, 18, genStart, 1)
	dir := t.TempDir()
	write(t, dir, specs)
	idx, err := library.Build(context.Background(), library.Options{Dir: dir, Now: genNow, OverdueAfter: 720 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if len(idx.Skipped) != 0 {
		t.Errorf("skipped %v", idx.Skipped)
	}
	if len(idx.Incidents) != 200 || len(idx.Months) != 18 {
		t.Fatalf("%d incidents over %d months, want 200 over 18", len(idx.Incidents), len(idx.Months))
	}
	ttm, ttr := map[string][]int64{}, map[string][]int64{}
	want := map[string]*monthWant{}
	for _, s := range specs {
		m := s.declared.Format("2006-01")
		w := want[m]
		if w == nil {
			w = &monthWant{}
			want[m] = w
		}
		w.Incidents++
		w.Late += s.late
		if s.ttm != nil {
			ttm[m] = append(ttm[m], *s.ttm)
		}
		if s.ttr != nil {
			ttr[m] = append(ttr[m], *s.ttr)
		}
		since := *s.declared
		if s.resolved != nil {
			since = *s.resolved
		}
		for _, it := range s.items {
			w.Opened++
			switch it.state {
			case "done":
				w.Done++
			case "not_planned":
			default:
				w.Open++
				if genNow.Sub(since) > 720*time.Hour {
					w.Overdue++
				}
			}
		}
	}
	for m, w := range want {
		w.MedianTTM, w.P90TTM = pick(ttm[m], 50), pick(ttm[m], 90)
		w.MedianTTR, w.P90TTR = pick(ttr[m], 50), pick(ttr[m], 90)
	}
	for i, m := range idx.Months {
		if wantLabel := genStart.AddDate(0, i, 0).Format("2006-01"); m.Label != wantLabel {
			t.Errorf("month %d is %s, want %s", i, m.Label, wantLabel)
		}
		got := &monthWant{Incidents: m.Incidents, MedianTTM: m.MedianTTM, P90TTM: m.P90TTM, MedianTTR: m.MedianTTR,
			P90TTR: m.P90TTR, Late: m.LateUpdates, Opened: m.Actions.Total, Done: m.Actions.Done, Open: m.Actions.Open,
			Overdue: m.Actions.Overdue}
		if diff := cmp.Diff(want[m.Label], got); diff != "" {
			t.Errorf("month %s (-want +got):\n%s", m.Label, diff)
		}
	}
	// The JSON document carries the same figures.
	js := idx.JSON()
	if len(js.Months) != 18 || len(js.Incidents) != 200 {
		t.Fatalf("JSON has %d months, %d incidents", len(js.Months), len(js.Incidents))
	}
	for _, m := range js.Months {
		w := want[m.Month]
		if m.Incidents != w.Incidents || !cmp.Equal(m.MedianTTM, w.MedianTTM) || !cmp.Equal(m.MedianTTR, w.MedianTTR) ||
			!cmp.Equal(m.P90TTR, w.P90TTR) || m.Opened != w.Opened || m.Done != w.Done {
			t.Errorf("JSON month %s = %+v, want %+v", m.Month, m, w)
		}
	}
	// Newest first.
	for i := 1; i < len(idx.Incidents); i++ {
		if idx.Incidents[i].DeclaredAt.After(*idx.Incidents[i-1].DeclaredAt) {
			t.Fatalf("incident %d (%s) is newer than incident %d", i, idx.Incidents[i].Folder, i-1)
		}
	}
	// Per severity, counted independently.
	bySev := map[string]int{}
	for _, s := range specs {
		bySev[s.severity]++
	}
	var order []string
	for _, s := range idx.Severities {
		order = append(order, s.Label)
		if s.Incidents != bySev[s.Label] {
			t.Errorf("severity %s: %d incidents, want %d", s.Label, s.Incidents, bySev[s.Label])
		}
	}
	if diff := cmp.Diff([]string{"SEV1", "SEV2", "P2", "SEV3", "SEV4", "Custom"}, order); diff != "" {
		t.Errorf("severity order (-want +got):\n%s", diff)
	}
}

func TestPercentile(t *testing.T) {
	for _, tc := range []struct {
		vals []int64
		p    int
		want *int64
	}{
		{nil, 50, nil},
		{[]int64{7}, 90, ptr(7)},
		{[]int64{4, 1, 3, 2}, 50, ptr(2)},
		{[]int64{5, 1, 4, 2, 3}, 50, ptr(3)},
		{[]int64{10, 20, 30, 40, 50, 60, 70, 80, 90, 100}, 90, ptr(90)},
		{[]int64{10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110}, 90, ptr(100)},
	} {
		if got := library.Percentile(tc.vals, tc.p); !cmp.Equal(got, tc.want) {
			t.Errorf("Percentile(%v, %d) = %v, want %v", tc.vals, tc.p, deref(got), deref(tc.want))
		}
	}
}

func ptr(v int64) *int64 { return &v }

func deref(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}
