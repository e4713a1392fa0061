package library

import (
	"slices"
	"time"
)

// ageBounds are the upper bounds of the open items' age buckets.
var ageBounds = []time.Duration{30 * 24 * time.Hour, 90 * 24 * time.Hour, 180 * 24 * time.Hour}

func ageLabels() []string {
	return []string{"under 30 days", "30–89 days", "90–179 days", "180 days or more"}
}

// ageBucket is the index in ageLabels of an open item aged d.
func ageBucket(d time.Duration) int {
	for i, b := range ageBounds {
		if d < b {
			return i
		}
	}
	return len(ageBounds)
}

// trends fills in Months, Severities and Total from Incidents.
func (idx *Index) trends() {
	var sevs []string
	for _, in := range idx.Incidents {
		if !slices.Contains(sevs, in.Severity) {
			sevs = append(sevs, in.Severity)
		}
	}
	slices.SortFunc(sevs, SeverityOrder)

	bySev := map[string][]*Incident{}
	byMonth := map[string][]*Incident{}
	first, last := "", ""
	for _, in := range idx.Incidents {
		bySev[in.Severity] = append(bySev[in.Severity], in)
		if m := in.Month(); m != "" {
			byMonth[m] = append(byMonth[m], in)
			if first == "" || m < first {
				first = m
			}
			if m > last {
				last = m
			}
		}
	}
	for _, s := range sevs {
		idx.Severities = append(idx.Severities, trend(s, bySev[s], nil))
	}
	if first != "" {
		t, _ := time.Parse("2006-01", first)
		for m := first; m <= last; m = t.Format("2006-01") {
			idx.Months = append(idx.Months, trend(m, byMonth[m], sevs))
			t = t.AddDate(0, 1, 0)
		}
	}
	idx.Total = trend("all", idx.Incidents, nil)
}

// trend sums up incidents into one row; sevs, when given, are the
// severities BySeverity counts.
func trend(label string, incidents []*Incident, sevs []string) *Trend {
	tr := &Trend{Label: label, Incidents: len(incidents), OpenByAge: make([]int, len(ageBounds)+1)}
	var ttm, ttr []int64
	for _, in := range incidents {
		if in.TTM != nil {
			ttm = append(ttm, *in.TTM)
		}
		if in.TTR != nil {
			ttr = append(ttr, *in.TTR)
		}
		if in.LateUpdates != nil {
			tr.LateUpdates += *in.LateUpdates
		}
		tr.Actions.add(in.Actions)
		for _, it := range in.Items {
			if it.Open {
				tr.OpenByAge[ageBucket(it.Age)]++
			}
		}
	}
	tr.MedianTTM, tr.P90TTM = Percentile(ttm, 50), Percentile(ttm, 90)
	tr.MedianTTR, tr.P90TTR = Percentile(ttr, 50), Percentile(ttr, 90)
	if sevs != nil {
		tr.BySeverity = make([]int, len(sevs))
		for _, in := range incidents {
			tr.BySeverity[slices.Index(sevs, in.Severity)]++
		}
	}
	return tr
}

// Percentile is the nearest-rank p-th percentile of values: sorted, the
// value at 1-based rank ceil(p/100 × n). nil for no values. values is not
// changed.
func Percentile(values []int64, p int) *int64 {
	n := len(values)
	if n == 0 {
		return nil
	}
	s := slices.Clone(values)
	slices.Sort(s)
	rank := (p*n + 99) / 100 // ceil(p·n/100) in integers
	rank = min(max(rank, 1), n)
	v := s[rank-1]
	return &v
}
