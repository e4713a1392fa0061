package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	gojira "github.com/andygrunwald/go-jira"
	gh "github.com/google/go-github/v60/github"
	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/slackapi"
	"github.com/wrapup/wrapup/internal/config"
	"github.com/wrapup/wrapup/internal/demo"
	"github.com/wrapup/wrapup/internal/emulator"
	"github.com/wrapup/wrapup/internal/emustack"
	"github.com/wrapup/wrapup/internal/folder"
	"github.com/wrapup/wrapup/internal/pipeline"
	"github.com/wrapup/wrapup/internal/wire"
	"github.com/wrapup/wrapup/trackers"
)

// refreshWorld is the three sample incidents wrapped up against the
// emulators, their action items filed to one tracker.
type refreshWorld struct {
	srv     *httptest.Server
	stack   *emustack.Stack
	out     string
	config  string // the config file the CLI reads
	getenv  func(string) string
	tickets []pipeline.Ticket
	dirs    map[string]string // ticket ID -> its incident folder
}

// newRefreshWorld seeds Slack with the bundled sample incidents and
// wraps each up as `wrapup run` does (the same pipeline and tracker
// wiring, GitHub's write spacing shortened), filing to the tracker kind.
func newRefreshWorld(t testing.TB, kind string) *refreshWorld {
	t.Helper()
	ctx := context.Background()
	stack := emustack.New(emustack.Options{WorkspaceURL: "https://acme.slack.com/"})
	tmp := t.TempDir()
	sample, err := demo.Archive(tmp)
	if err != nil {
		t.Fatal(err)
	}
	history, err := demo.HistoryArchives(tmp)
	if err != nil {
		t.Fatal(err)
	}
	arcs := append([]*archive.Archive{sample}, history...)
	if err := stack.Seed(arcs...); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(stack)
	t.Cleanup(srv.Close)
	w := &refreshWorld{srv: srv, stack: stack, out: filepath.Join(tmp, "pm"), config: filepath.Join(tmp, "wrapup.yaml"),
		dirs: map[string]string{}}
	env := map[string]string{"SLACK_TOKEN": "xoxb-test", "JIRA_USER": "bot@example.com", "JIRA_TOKEN": "jira-test",
		"GITHUB_TOKEN": "ghp-test", "SLACK_API_URL": srv.URL + "/api/", "JIRA_URL": srv.URL, "GITHUB_API_URL": srv.URL}
	w.getenv = func(k string) string { return env[k] }
	// overdue_after 1h: every item still open is overdue, the incidents
	// being months old.
	yaml := "index: {overdue_after: 1h}\ntracker:\n  kind: " + kind + "\n"
	if kind == "jira" {
		yaml += "  jira: {project: OPS, search_lag: 1s}\n"
	} else {
		yaml += "  github: {repo: acme/incidents}\n"
	}
	if err := os.WriteFile(w.config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(w.config, w.getenv)
	if err != nil {
		t.Fatal(err)
	}
	opts := pipeline.Options{Config: cfg, OutDir: w.out,
		Slack:   slackapi.New("xoxb-test", slackapi.Options{APIURL: cfg.Slack.APIURL, Limiter: slackapi.NewLimiter(100)}),
		Tracker: wire.Tracker(cfg, w.getenv, "", time.Millisecond), Tool: tool(), Closed: indexRefresher(cfg)}
	for _, a := range arcs {
		opts.Channel = a.Channel.Name
		res, err := pipeline.Run(ctx, opts)
		if err != nil {
			t.Fatalf("#%s: %v", a.Channel.Name, err)
		}
		if !res.Archived || strings.Contains(strings.Join(res.Notes, "\n"), "index") {
			t.Fatalf("#%s: archived %v, notes %q", a.Channel.Name, res.Archived, res.Notes)
		}
		for _, tk := range res.Tickets {
			if tk.Tracker != kind || tk.ID == "" {
				t.Fatalf("#%s: ticket %+v was not filed to %s", a.Channel.Name, tk, kind)
			}
			w.tickets = append(w.tickets, tk)
			w.dirs[tk.ID] = res.Dir
		}
	}
	if len(w.tickets) < 6 {
		t.Fatalf("the samples filed %d tickets; want at least 6 to close some", len(w.tickets))
	}
	return w
}

// refreshIndex runs `wrapup index --refresh-tickets --json` and returns
// the tracker calls it made and its figures, summed over the incidents.
func (w *refreshWorld) refreshIndex(t testing.TB, service string) (calls map[string]int, total indexCounts) {
	t.Helper()
	before := w.stack.Admin.Stats()
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"index", "--config", w.config, "--out", w.out, "--refresh-tickets", "--json"},
		&out, &errb, w.getenv)
	if err != nil {
		t.Fatalf("wrapup index --refresh-tickets: %v\n%s", err, errb.String())
	}
	calls = callsSince(before, w.stack.Admin.Stats(), service)
	var doc struct {
		Incidents []struct {
			Actions indexCounts `json:"action_items"`
		} `json:"incidents"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("--json printed %s: %v", out.String(), err)
	}
	if len(doc.Incidents) != 3 {
		t.Fatalf("the index has %d incidents, want the 3 samples", len(doc.Incidents))
	}
	for _, in := range doc.Incidents {
		total.Total += in.Actions.Total
		total.Done += in.Actions.Done
		total.Open += in.Actions.Open
		total.Overdue += in.Actions.Overdue
	}
	if want := "asked " + service + " about " + strconv.Itoa(len(w.tickets)) + " tickets: " + strconv.Itoa(len(w.tickets)) + " found"; !strings.Contains(errb.String(), want) {
		t.Errorf("stderr does not say %q:\n%s", want, errb.String())
	}
	return calls, total
}

type indexCounts struct {
	Total   int `json:"total"`
	Done    int `json:"done"`
	Open    int `json:"open"`
	Overdue int `json:"overdue"`
}

// callsSince are the calls to service between two stats.
func callsSince(before, after emulator.Stats, service string) map[string]int {
	out := map[string]int{}
	for k, n := range after.Calls {
		if strings.HasPrefix(k, service+" ") && n > before.Calls[k] {
			out[k] = n - before.Calls[k]
		}
	}
	return out
}

// checkStates checks that every ticket's incident folder recorded its
// state, as want says (by ticket ID, "open" when absent), asked at or
// after since.
func (w *refreshWorld) checkStates(t *testing.T, want map[string]string, since time.Time) {
	t.Helper()
	for _, tk := range w.tickets {
		l := &folder.Ledger{Path: filepath.Join(w.dirs[tk.ID], folder.RecordName)}
		states, err := l.States(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		st, ok := states[tk.Key]
		if !ok {
			t.Errorf("%s's wrapup.json has no ticket_states entry for %s (%s)", filepath.Base(w.dirs[tk.ID]), tk.Key, tk.ID)
			continue
		}
		w := want[tk.ID]
		if w == "" {
			w = trackers.StateOpen
		}
		if st.State != w || st.Done != (w == trackers.StateDone) {
			t.Errorf("ticket %s: state %q (done %v), want %q", tk.ID, st.State, st.Done, w)
		}
		if st.CheckedAt.Before(since.Truncate(time.Second)) || st.CheckedAt.After(time.Now()) {
			t.Errorf("ticket %s: checked_at %v, want the refresh's time (after %v)", tk.ID, st.CheckedAt, since)
		}
		if (w == trackers.StateOpen) != (st.ResolvedAt == nil) {
			t.Errorf("ticket %s (%s): resolved at %v", tk.ID, w, st.ResolvedAt)
		}
	}
}

// wantCounts are the index's figures once closed tickets are done or not
// planned: the rest open, and overdue (overdue_after 1h).
func wantCounts(tickets int, closed map[string]string) indexCounts {
	c := indexCounts{Total: tickets}
	for _, s := range closed {
		if s == trackers.StateDone {
			c.Done++
		}
	}
	c.Open = tickets - len(closed)
	c.Overdue = c.Open
	return c
}

func batches(n int) int { return (n + 99) / 100 }

// TestIndexRefreshJira: the sample incidents file their action items to
// the Jira emulator; people close some through Jira's API (transitions
// Done and Won't Do, with go-jira); `wrapup index --refresh-tickets`
// then counts them done, not planned and open, records each state in its
// wrapup.json with the time asked, and asks Jira in ⌈n/100⌉ searches,
// nothing else.
func TestIndexRefreshJira(t *testing.T) {
	w := newRefreshWorld(t, "jira")
	n := len(w.tickets)

	// Before anyone closes anything: every item open and overdue.
	start := time.Now()
	calls, got := w.refreshIndex(t, "jira")
	if want := wantCounts(n, nil); got != want {
		t.Errorf("before closing: %+v, want %+v", got, want)
	}
	if want := map[string]int{"jira GET /rest/api/2/search/jql": batches(n)}; !equalCalls(calls, want) {
		t.Errorf("the refresh of %d tickets called Jira %v; want %v", n, calls, want)
	}
	w.checkStates(t, nil, start)

	hc := &http.Client{Transport: &gojira.BasicAuthTransport{Username: "bot@example.com", Password: "jira-test"}}
	jc, err := gojira.NewClient(hc, w.srv.URL+"/")
	if err != nil {
		t.Fatal(err)
	}
	closed := map[string]string{}
	transition := func(key, name, state string) {
		t.Helper()
		trs, _, err := jc.Issue.GetTransitionsWithContext(context.Background(), key)
		if err != nil {
			t.Fatal(err)
		}
		for _, tr := range trs {
			if tr.Name == name {
				if _, err := jc.Issue.DoTransitionWithContext(context.Background(), key, tr.ID); err != nil {
					t.Fatal(err)
				}
				closed[key] = state
				return
			}
		}
		t.Fatalf("%s has no transition %q: %+v", key, name, trs)
	}
	transition(w.tickets[0].ID, "Done", trackers.StateDone)
	transition(w.tickets[2].ID, "Done", trackers.StateDone)
	transition(w.tickets[n-1].ID, "Done", trackers.StateDone)
	transition(w.tickets[1].ID, "Won't Do", trackers.StateNotPlanned)
	// Done, then reopened: open again.
	transition(w.tickets[3].ID, "Done", trackers.StateDone)
	transition(w.tickets[3].ID, "In Progress", "")
	delete(closed, w.tickets[3].ID)

	start = time.Now()
	calls, got = w.refreshIndex(t, "jira")
	if want := wantCounts(n, closed); got != want {
		t.Errorf("after closing %v: %+v, want %+v", closed, got, want)
	}
	if want := map[string]int{"jira GET /rest/api/2/search/jql": batches(n)}; !equalCalls(calls, want) {
		t.Errorf("the refresh of %d tickets called Jira %v; want %v", n, calls, want)
	}
	w.checkStates(t, closed, start)
}

// TestIndexRefreshGitHub: the same against the GitHub emulator; people
// close issues through the REST API (PATCH state closed, state_reason
// completed or not_planned, with go-github); the refresh lists the
// repository's labelled issues, ⌈issues/100⌉ pages, nothing else.
func TestIndexRefreshGitHub(t *testing.T) {
	w := newRefreshWorld(t, "github")
	n := len(w.tickets)

	start := time.Now()
	calls, got := w.refreshIndex(t, "github")
	if want := wantCounts(n, nil); got != want {
		t.Errorf("before closing: %+v, want %+v", got, want)
	}
	// Only wrapup's issues are in the repository: one page per 100.
	wantList := map[string]int{"github GET /repos/acme/incidents/issues": batches(n)}
	if !equalCalls(calls, wantList) {
		t.Errorf("the refresh of %d tickets called GitHub %v; want %v", n, calls, wantList)
	}
	w.checkStates(t, nil, start)

	gc, err := gh.NewClient(nil).WithAuthToken("ghp-test").WithEnterpriseURLs(w.srv.URL, w.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	closed := map[string]string{}
	edit := func(id, state, reason, want string) {
		t.Helper()
		_, num, ok := strings.Cut(id, "#")
		nr, err := strconv.Atoi(num)
		if !ok || err != nil {
			t.Fatalf("ticket id %q is not owner/name#N", id)
		}
		req := &gh.IssueRequest{State: &state}
		if reason != "" {
			req.StateReason = &reason
		}
		if _, _, err := gc.Issues.Edit(context.Background(), "acme", "incidents", nr, req); err != nil {
			t.Fatal(err)
		}
		if want == "" {
			delete(closed, id)
		} else {
			closed[id] = want
		}
	}
	edit(w.tickets[0].ID, "closed", "completed", trackers.StateDone)
	edit(w.tickets[2].ID, "closed", "completed", trackers.StateDone)
	edit(w.tickets[1].ID, "closed", "not_planned", trackers.StateNotPlanned)
	edit(w.tickets[n-1].ID, "closed", "not_planned", trackers.StateNotPlanned)
	// Closed, then reopened: open again.
	edit(w.tickets[3].ID, "closed", "completed", trackers.StateDone)
	edit(w.tickets[3].ID, "open", "", "")

	start = time.Now()
	calls, got = w.refreshIndex(t, "github")
	if want := wantCounts(n, closed); got != want {
		t.Errorf("after closing %v: %+v, want %+v", closed, got, want)
	}
	if !equalCalls(calls, wantList) {
		t.Errorf("the refresh of %d tickets called GitHub %v; want %v", n, calls, wantList)
	}
	w.checkStates(t, closed, start)
}

func equalCalls(got, want map[string]int) bool {
	if len(got) != len(want) {
		return false
	}
	for k, v := range want {
		if got[k] != v {
			return false
		}
	}
	return true
}

// BenchmarkIndexRefresh reports the tracker calls per ticket of `wrapup
// index --refresh-tickets` over the sample incidents, and its time.
func BenchmarkIndexRefresh(b *testing.B) {
	for _, kind := range []string{"jira", "github"} {
		b.Run(kind, func(b *testing.B) {
			w := newRefreshWorld(b, kind)
			calls := 0
			for b.Loop() {
				c, _ := w.refreshIndex(b, kind)
				for _, n := range c {
					calls += n
				}
			}
			b.ReportMetric(float64(calls)/float64(b.N*len(w.tickets)), "calls/ticket")
		})
	}
}
