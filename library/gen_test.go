package library_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/wrapup/wrapup/timeline"
	"github.com/wrapup/wrapup/trackers"
)

// spec is one generated incident with its known figures.
type spec struct {
	folder      string
	title       string
	severity    string
	peak        string
	declared    *time.Time
	resolved    *time.Time
	ttm, ttr    *int64
	late        int64
	responders  int64
	items       []itemSpec
	markdown    bool
	html        bool
	rawTimeline string // when set, written instead of a generated timeline.json
}

type itemSpec struct {
	key, summary, assignee string
	ticket                 *timeline.Ticket
	state                  string // "" never checked
}

var genSeverities = []string{"SEV1", "SEV2", "SEV3", "SEV4", "P2", "Custom"}

// generate makes n incidents spread over months months from start, with
// known figures; rng makes it reproducible.
func generate(n, months int, start time.Time, seed uint64) []spec {
	rng := rand.New(rand.NewPCG(seed, 42))
	out := make([]spec, n)
	for i := range out {
		m := i % months // every month gets incidents
		declared := start.AddDate(0, m, 0).Add(time.Duration(rng.IntN(27*24*3600)) * time.Second)
		s := spec{folder: fmt.Sprintf("%s-incident-%04d", declared.Format(time.DateOnly), i),
			title: fmt.Sprintf("Incident %d", i), severity: genSeverities[rng.IntN(len(genSeverities))],
			declared: &declared, late: int64(rng.IntN(3)), responders: int64(1 + rng.IntN(9)),
			markdown: true, html: i%3 != 0}
		s.peak = s.severity
		if s.severity == "SEV3" && rng.IntN(2) == 0 {
			s.peak = "SEV1" // escalated, then downgraded
		}
		if rng.IntN(10) != 0 { // one in ten never mitigated
			v := int64(60 + rng.IntN(4*3600))
			s.ttm = &v
		}
		if rng.IntN(8) != 0 { // one in eight never resolved
			v := int64(600 + rng.IntN(12*3600))
			if s.ttm != nil {
				v += *s.ttm
			}
			s.ttr = &v
			r := declared.Add(time.Duration(v) * time.Second)
			s.resolved = &r
		}
		for j := range rng.IntN(5) {
			it := itemSpec{key: fmt.Sprintf("k%d-%d", i, j), summary: fmt.Sprintf("follow-up %d of %d", j, i), assignee: "dave"}
			if rng.IntN(4) != 0 {
				it.ticket = &timeline.Ticket{Tracker: "jira", ID: fmt.Sprintf("OPS-%d", i*10+j), URL: fmt.Sprintf("https://jira.example/browse/OPS-%d", i*10+j)}
				it.state = []string{"", "open", "done", "done", "not_planned"}[rng.IntN(5)]
			}
			s.items = append(s.items, it)
		}
		out[i] = s
	}
	return out
}

// write lays the incidents out as incident folders under dir, as runs
// leave them: timeline.json, wrapup.json, the postmortems.
func write(tb testing.TB, dir string, specs []spec) {
	tb.Helper()
	checked := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	for _, s := range specs {
		d := filepath.Join(dir, s.folder)
		if err := os.MkdirAll(d, 0o700); err != nil {
			tb.Fatal(err)
		}
		tlData := []byte(s.rawTimeline)
		if s.rawTimeline == "" {
			tl := &timeline.Timeline{Incident: timeline.Incident{Channel: "incident-" + s.folder, Title: s.title,
				Severity: s.severity, Status: timeline.StatusResolved, DeclaredAt: s.declared, ResolvedAt: s.resolved,
				PeakSeverity: s.peak},
				Metrics: timeline.Metrics{TimeToMitigate: s.ttm, TimeToResolve: s.ttr, LateUpdates: &s.late,
					Responders: s.responders, Messages: 10 * s.responders}}
			if s.peak != s.severity {
				tl.Events = append(tl.Events, timeline.Event{Kind: timeline.KindSeverity, Severity: s.peak})
			}
			if s.resolved == nil {
				tl.Incident.Status = timeline.StatusMonitoring
			}
			tickets := map[string]timeline.Ticket{}
			states := map[string]trackers.TicketState{}
			for _, it := range s.items {
				tl.ActionItems = append(tl.ActionItems, timeline.ActionItem{Key: it.key, Summary: it.summary, Assignee: it.assignee})
				if it.ticket != nil {
					tickets[it.key] = *it.ticket
				}
				if it.state != "" {
					states[it.key] = trackers.TicketState{State: it.state, Done: it.state == "done", CheckedAt: checked}
				}
			}
			b, err := tl.MarshalJSON()
			if err != nil {
				tb.Fatal(err)
			}
			tlData = b
			rec, err := json.Marshal(map[string]any{"schema": "wrapup.run/v1", "tickets": tickets, "ticket_states": states})
			if err != nil {
				tb.Fatal(err)
			}
			writeFile(tb, filepath.Join(d, "wrapup.json"), string(rec))
		}
		writeFile(tb, filepath.Join(d, "timeline.json"), string(tlData))
		if s.markdown {
			writeFile(tb, filepath.Join(d, "postmortem.md"), "# x\n")
		}
		if s.html {
			writeFile(tb, filepath.Join(d, "postmortem.html"), "<!DOCTYPE html>")
		}
	}
}

func writeFile(tb testing.TB, p, s string) {
	tb.Helper()
	if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
		tb.Fatal(err)
	}
}
