package timeline

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"time"
)

// finish orders the events and derives the incident, the metrics and the
// participants from them.
func (b *builder) finish() {
	tl := b.tl
	slices.SortStableFunc(tl.Events, func(x, y Event) int {
		return cmp.Or(x.At.Compare(y.At), cmp.Compare(x.TS, y.TS))
	})
	seen := map[*Participant]bool{} // a bot is filed under each of its names
	for _, p := range b.posts {
		if !seen[p] {
			seen[p] = true
			tl.Participants = append(tl.Participants, *p)
		}
	}
	slices.SortFunc(tl.Participants, func(x, y Participant) int {
		return cmp.Or(cmp.Compare(y.Messages, x.Messages), cmp.Compare(x.User, y.User))
	})
	if b.opts.Explain {
		for _, c := range b.candidates {
			if b.ruleBots[lower(c.Bot)] {
				tl.Explain.NearMisses = append(tl.Explain.NearMisses, c)
			}
		}
	}

	inc := &tl.Incident
	var declared, mitigated, resolved *time.Time
	var statuses []Event // events that set a status, in time order
	for i := range tl.Events {
		ev := &tl.Events[i]
		if ev.Kind == KindDeclared && declared == nil {
			declared = &ev.At
			inc.Title = ev.Title
		}
		if ev.Status != "" {
			statuses = append(statuses, *ev)
			if ev.Status == StatusMonitoring && mitigated == nil {
				mitigated = &ev.At
			}
		}
		if ev.Severity != "" {
			if inc.InitialSeverity == "" {
				inc.InitialSeverity = ev.Severity
			}
			inc.Severity = ev.Severity
		}
	}
	for _, r := range tl.Roles {
		if r.Role == "commander" {
			inc.Commander = r.User
		}
	}
	inc.PeakSeverity = peakSeverity(tl.Events)
	if inc.PeakSeverity == "" && inc.Severity != "" {
		tl.Omitted["peak_severity"] = "no severity on a known scale (SEVn, Pn, Critical..Trivial, High..Low)"
	}
	if declared == nil && b.first != 0 {
		t := secondOf(b.first)
		declared = &t
		inc.NoDeclaration = true
		b.warn("no declaration was recognised; declared_at is the first message's time")
	}
	if n := len(statuses); n > 0 {
		inc.Status = statuses[n-1].Status
		if inc.Status == StatusResolved {
			// The incident became resolved at the start of the final run of
			// resolved statuses: a restatement does not move it.
			i := n - 1
			for i > 0 && statuses[i-1].Status == StatusResolved {
				i--
			}
			resolved = &statuses[i].At
		}
	}
	inc.DeclaredAt, inc.MitigatedAt, inc.ResolvedAt = declared, mitigated, resolved
	b.timeMetrics(declared, mitigated, resolved, statuses)
}

// timeMetrics computes the metrics measured from the declaration.
func (b *builder) timeMetrics(declared, mitigated, resolved *time.Time, statuses []Event) {
	tl, m := b.tl, &b.tl.Metrics
	if declared == nil {
		for _, k := range []string{"time_to_mitigate_s", "time_to_resolve_s", "status_updates", "longest_update_gap_s", "late_updates"} {
			tl.Omitted[k] = "the channel has no messages"
		}
		return
	}
	switch {
	case mitigated == nil:
		tl.Omitted["time_to_mitigate_s"] = "no status monitoring was set"
	case mitigated.Before(*declared):
		tl.Omitted["time_to_mitigate_s"] = fmt.Sprintf("monitoring (%s) precedes the declaration (%s)", rfc(*mitigated), rfc(*declared))
	default:
		m.TimeToMitigate = seconds(mitigated.Sub(*declared))
	}
	switch {
	case resolved == nil && tl.Incident.Status != "" && slices.ContainsFunc(statuses, func(e Event) bool { return e.Status == StatusResolved }):
		tl.Omitted["time_to_resolve_s"] = fmt.Sprintf("reopened after resolution; the last status is %s", tl.Incident.Status)
	case resolved == nil:
		tl.Omitted["time_to_resolve_s"] = "no status resolved was set"
	case resolved.Before(*declared):
		tl.Omitted["time_to_resolve_s"] = fmt.Sprintf("resolution (%s) precedes the declaration (%s)", rfc(*resolved), rfc(*declared))
	default:
		m.TimeToResolve = seconds(resolved.Sub(*declared))
	}

	end := secondOf(b.last)
	if resolved != nil && !resolved.Before(*declared) {
		end = *resolved
	}
	points := []time.Time{*declared}
	var updates int64
	for _, ev := range tl.Events {
		if ev.Kind == KindStatus && !ev.At.Before(*declared) && !ev.At.After(end) {
			updates++
			points = append(points, ev.At)
		}
	}
	if resolved != nil && !resolved.Before(*declared) {
		points = append(points, *resolved)
	}
	m.StatusUpdates = &updates
	if len(points) < 2 {
		tl.Omitted["longest_update_gap_s"] = "no status update after the declaration"
		tl.Omitted["late_updates"] = "no status update after the declaration"
	} else {
		var longest time.Duration
		var late int64
		for i := 1; i < len(points); i++ {
			gap := points[i].Sub(points[i-1])
			longest = max(longest, gap)
			if b.rs.cadence > 0 && gap > b.rs.cadence {
				late++
			}
		}
		m.LongestUpdateGap = seconds(longest)
		if b.rs.cadence > 0 {
			m.LateUpdates = &late
		} else {
			tl.Omitted["late_updates"] = "timeline.update_cadence is 0"
		}
	}
	m.SecondsInStatus = spans(tl.Events, *declared, end, func(e Event) string { return e.Status }, StatusInvestigating)
	m.SecondsAtSeverity = spans(tl.Events, *declared, end, func(e Event) string { return e.Severity }, "")
}

// spans splits [from, to] by the value field gives each event: a value
// holds from its event until the next. initial holds until the first value
// when no event set one before from.
func spans(events []Event, from, to time.Time, field func(Event) string, initial string) map[string]int64 {
	cur, at := initial, from
	acc := map[string]time.Duration{}
	for _, ev := range events {
		v := field(ev)
		if v == "" {
			continue
		}
		if !ev.At.After(from) {
			cur = v
			continue
		}
		if ev.At.After(to) {
			break
		}
		if cur != "" {
			acc[cur] += ev.At.Sub(at)
		}
		cur, at = v, ev.At
	}
	if cur != "" && to.After(at) {
		acc[cur] += to.Sub(at)
	}
	if len(acc) == 0 {
		return nil
	}
	out := make(map[string]int64, len(acc))
	for _, k := range slices.Sorted(maps.Keys(acc)) {
		out[k] = int64(acc[k] / time.Second)
	}
	return out
}

// peakSeverity is the most severe ranked severity any event set.
func peakSeverity(events []Event) string {
	peak, best := "", 0
	for _, ev := range events {
		if r, ok := SeverityRank(ev.Severity); ok && ev.Severity != "" && (peak == "" || r < best) {
			peak, best = ev.Severity, r
		}
	}
	return peak
}

func seconds(d time.Duration) *int64 {
	s := int64(d / time.Second)
	return &s
}

func rfc(t time.Time) string { return t.UTC().Format(time.RFC3339) }
