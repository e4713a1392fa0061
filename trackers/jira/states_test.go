package jira_test

import (
	"context"
	"strings"
	"testing"
	"time"

	gojira "github.com/andygrunwald/go-jira"
	"github.com/google/go-cmp/cmp"
	"github.com/wrapup/wrapup/internal/emulator"
	"github.com/wrapup/wrapup/trackers"
	"github.com/wrapup/wrapup/trackers/jira"
	"github.com/wrapup/wrapup/trackers/jiratest"
)

// fileAll files n items through the Filer and returns their tickets' ids
// in item order.
func fileAll(t testing.TB, tr *jira.Tracker, n int) []string {
	t.Helper()
	out, err := (&trackers.Filer{Service: tr, Concurrency: 4}).File(context.Background(), items(n))
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(out))
	for i, o := range out {
		if o.Err != nil || o.Ticket.ID == "" {
			t.Fatalf("item %d: %+v", i, o)
		}
		ids[i] = o.Ticket.ID
	}
	return ids
}

// transition closes (or reopens) an issue through the emulator's
// transitions API with go-jira, as a person in Jira would: the
// transition is found by name, and a resolution sent when given.
func transition(t testing.TB, client *gojira.Client, key, name, resolution string) {
	t.Helper()
	ts, _, err := client.Issue.GetTransitions(key)
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range ts {
		if tr.Name != name {
			continue
		}
		payload := map[string]any{"transition": map[string]string{"id": tr.ID}}
		if resolution != "" {
			payload["fields"] = map[string]any{"resolution": map[string]string{"name": resolution}}
		}
		resp, err := client.Issue.DoTransitionWithPayload(key, payload)
		if err != nil {
			t.Fatalf("%s %s: %v", name, key, err)
		}
		resp.Body.Close()
		return
	}
	t.Fatalf("%s has no transition %q (%v)", key, name, ts)
}

func personClient(t testing.TB, url string) *gojira.Client {
	t.Helper()
	hc := (&gojira.BasicAuthTransport{Username: "person@example.com", Password: "their-token"}).Client()
	c, err := gojira.NewClient(hc, url)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestStates(t *testing.T) {
	for _, dep := range []string{jiratest.Cloud, jiratest.DataCenter} {
		t.Run(dep, func(t *testing.T) {
			clk := &clock{now: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)}
			asked := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
			srv, url := jiratest.NewTestServer(t, jiratest.Options{Deployment: dep, Users: people, Projects: []string{"OPS", "SRE"}, Now: clk.Now, MaxResults: 4})
			tr := newTracker(t, url, dep, func(c *jira.Config) {
				c.PageSize = 4
				c.Now = func() time.Time { return asked }
			})
			ids := fileAll(t, tr, 10)
			person := personClient(t, url)
			clk.Add(time.Hour)
			transition(t, person, ids[0], "Done", "")
			transition(t, person, ids[1], "Won't Do", "")
			transition(t, person, ids[2], "Done", "Duplicate")
			transition(t, person, ids[3], "In Progress", "")
			clk.Add(time.Hour)
			transition(t, person, ids[4], "Done", "")
			transition(t, person, ids[5], "Done", "")
			transition(t, person, ids[5], "To Do", "") // reopened
			if resp, err := person.Issue.Delete(ids[6]); err != nil {
				t.Fatal(err)
			} else {
				resp.Body.Close()
			}
			if _, err := srv.Move(ids[7], "SRE"); err != nil {
				t.Fatal(err)
			}

			before := srv.Admin().Stats()
			// Ids as the ledgers hold them, one twice, one in lower case,
			// and one that is no Jira key.
			ask := append(append([]string{}, ids...), ids[0], strings.ToLower(ids[8]), "acme/incidents#3")
			got, err := tr.States(context.Background(), ask)
			if err != nil {
				t.Fatal(err)
			}
			at := func(h int) *time.Time { v := time.Date(2026, 11, 2, 9+h, 0, 0, 0, time.UTC); return &v }
			open := trackers.TicketState{State: "open", CheckedAt: asked}
			want := map[string]trackers.TicketState{
				ids[0]: {State: "done", Done: true, ResolvedAt: at(1), CheckedAt: asked},
				ids[1]: {State: "not_planned", ResolvedAt: at(1), CheckedAt: asked},
				ids[2]: {State: "not_planned", ResolvedAt: at(1), CheckedAt: asked},
				ids[3]: open,
				ids[4]: {State: "done", Done: true, ResolvedAt: at(2), CheckedAt: asked},
				ids[5]: open,
				// ids[6] deleted, ids[7] moved: absent.
				ids[8]:                  open,
				strings.ToLower(ids[8]): open,
				ids[9]:                  open,
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("States (-want +got):\n%s", diff)
			}
			// 9 known keys in pages of 4: 3 queries, and one more for the
			// batch whose query named the deleted key.
			calls := calls(srv.Admin().Stats(), "jira") - calls(before, "jira")
			if calls != 4 {
				t.Errorf("States made %d calls; want 4 (%v)", calls, srv.Admin().Stats().Calls)
			}
		})
	}
}

func TestStatesEmptyAndErrors(t *testing.T) {
	srv, tr := newJira(t, jiratest.Options{}, nil)
	got, err := tr.States(context.Background(), nil)
	if err != nil || len(got) != 0 {
		t.Errorf("States(nil) = %v, %v", got, err)
	}
	if n := calls(srv.Admin().Stats(), "jira"); n != 0 {
		t.Errorf("States(nil) made %d calls", n)
	}
	// Every key unknown: no error, nothing found, one call (the refused
	// query; then nothing is left to ask).
	got, err = tr.States(context.Background(), []string{"OPS-404", "OPS-405"})
	if err != nil || len(got) != 0 {
		t.Errorf("States of unknown keys = %v, %v", got, err)
	}
	if n := calls(srv.Admin().Stats(), "jira"); n != 1 {
		t.Errorf("States of unknown keys made %d calls; want 1", n)
	}
	// Other errors are errors.
	srv.Admin().SetFaults([]emulator.Fault{{Service: "jira", Method: "GET", Path: "/rest/api/2/search/jql", Times: 1, Status: 400, Error: "Field 'key' is broken"}})
	if _, err := tr.States(context.Background(), []string{"OPS-1"}); err == nil || !trackers.IsPermanent(err) {
		t.Errorf("a 400 of another kind: %v; want a permanent error", err)
	}
}

// BenchmarkStates reports the search calls per ticket of reading 250
// tickets' states: ⌈250/100⌉ = 3 queries, 0.012 calls a ticket.
func BenchmarkStates(b *testing.B) {
	const n = 250
	for _, dep := range []string{jiratest.Cloud, jiratest.DataCenter} {
		b.Run(dep, func(b *testing.B) {
			srv, url := jiratest.NewTestServer(b, jiratest.Options{Deployment: dep, Users: people, MaxResults: 100})
			tr := newTracker(b, url, dep, func(c *jira.Config) { c.PageSize = 100 })
			var ids []string
			for _, it := range items(n) {
				tk, err := tr.File(context.Background(), it)
				if err != nil {
					b.Fatal(err)
				}
				ids = append(ids, tk.ID)
			}
			person := personClient(b, url)
			for i := 0; i < n; i += 3 {
				transition(b, person, ids[i], "Done", "")
			}
			var perTicket float64
			for b.Loop() {
				before := calls(srv.Admin().Stats(), "jira")
				got, err := tr.States(context.Background(), ids)
				if err != nil {
					b.Fatal(err)
				}
				if len(got) != n {
					b.Fatalf("%d states; want %d", len(got), n)
				}
				perTicket += float64(calls(srv.Admin().Stats(), "jira")-before) / n
			}
			b.ReportMetric(perTicket/float64(b.N), "calls/ticket")
		})
	}
}
