package github_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	gh "github.com/google/go-github/v60/github"
	"github.com/wrapup/wrapup/trackers"
	"github.com/wrapup/wrapup/trackers/github"
	"github.com/wrapup/wrapup/trackers/githubtest"
)

// fileFor files n items of one incident channel through the Filer and
// returns the tickets' ids ("octo/ops#N").
func fileFor(t testing.TB, url, repoName, channel string, n int) []string {
	t.Helper()
	tr, err := github.New(github.Config{APIURL: url, Repo: repoName, Token: "ghp_test", Labels: []string{"postmortem"}, Channel: channel,
		WriteSpacing: time.Nanosecond, RateLimit: &trackers.RateLimitTransport{Sleep: scaledSleep}})
	if err != nil {
		t.Fatal(err)
	}
	out, err := (&trackers.Filer{Service: tr}).File(context.Background(), items(n))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, o := range out {
		if o.Err != nil || o.Ticket.ID == "" {
			t.Fatalf("%+v", o)
		}
		ids = append(ids, o.Ticket.ID)
	}
	return ids
}

// person is someone editing issues in GitHub, through go-github.
func person(t testing.TB, url string) *gh.Client {
	t.Helper()
	c, err := gh.NewClient(nil).WithAuthToken("ghp_person").WithEnterpriseURLs(url, url)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func number(t testing.TB, id string) int {
	t.Helper()
	_, num, _ := strings.Cut(id, "#")
	n, err := strconv.Atoi(num)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func edit(t testing.TB, c *gh.Client, id string, req *gh.IssueRequest) {
	t.Helper()
	owner, rest, _ := strings.Cut(id, "/")
	name, _, _ := strings.Cut(rest, "#")
	if _, _, err := c.Issues.Edit(context.Background(), owner, name, number(t, id), req); err != nil {
		t.Fatalf("edit %s: %v", id, err)
	}
}

func TestStates(t *testing.T) {
	clk := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	asked := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	srv, url := githubtest.NewTestServer(t, githubtest.Options{Repos: []string{repo, "acme/incidents"}, MaxPerPage: 5, Now: func() time.Time { return clk }})
	// Three incidents' tickets in one repository, all labelled postmortem,
	// and one in another repository.
	var ids []string
	for _, ch := range []string{"incident-a", "incident-b", "incident-c"} {
		ids = append(ids, fileFor(t, url, repo, ch, 4)...)
	}
	elsewhere := fileFor(t, url, "acme/incidents", "incident-a", 1)[0]
	srv.AddPullRequest(repo, "a pull request", "", "postmortem")

	p := person(t, url)
	clk = clk.Add(time.Hour)
	edit(t, p, ids[0], &gh.IssueRequest{State: gh.String("closed")})
	edit(t, p, ids[1], &gh.IssueRequest{State: gh.String("closed"), StateReason: gh.String("not_planned")})
	edit(t, p, ids[2], &gh.IssueRequest{State: gh.String("closed"), StateReason: gh.String("completed")})
	edit(t, p, ids[2], &gh.IssueRequest{State: gh.String("open")}) // reopened
	// Someone took the postmortem label off, then closed it.
	edit(t, p, ids[3], &gh.IssueRequest{Labels: &[]string{"incident:incident-a"}})
	clk = clk.Add(time.Hour)
	edit(t, p, ids[3], &gh.IssueRequest{State: gh.String("closed")})
	srv.DeleteIssue(repo, number(t, ids[4]))
	edit(t, p, elsewhere, &gh.IssueRequest{State: gh.String("closed"), StateReason: gh.String("not_planned")})

	// The tracker of yet another incident reads them all.
	tr, err := github.New(github.Config{APIURL: url, Repo: repo, Token: "ghp_test", Labels: []string{"postmortem"}, Channel: "incident-z",
		PerPage: 5, Now: func() time.Time { return asked }})
	if err != nil {
		t.Fatal(err)
	}
	short := fmt.Sprintf("#%d", number(t, ids[5]))
	bare := strconv.Itoa(number(t, ids[6]))
	ask := append(append([]string{}, ids...), elsewhere, short, bare, ids[0], "OPS-12", "octo/ops#x", "#0", "octo/ops#9999")
	before := calls(srv.Admin().Stats(), "github")
	got, err := tr.States(context.Background(), ask)
	if err != nil {
		t.Fatal(err)
	}
	made := calls(srv.Admin().Stats(), "github") - before

	at := func(h int) *time.Time { v := clk.Add(time.Duration(h-2) * time.Hour); return &v }
	open := trackers.TicketState{State: "open", CheckedAt: asked}
	want := map[string]trackers.TicketState{
		ids[0]:    {State: "done", Done: true, ResolvedAt: at(1), CheckedAt: asked},
		ids[1]:    {State: "not_planned", ResolvedAt: at(1), CheckedAt: asked},
		ids[2]:    open,
		ids[3]:    {State: "done", Done: true, ResolvedAt: at(2), CheckedAt: asked},
		elsewhere: {State: "not_planned", ResolvedAt: at(2), CheckedAt: asked},
		short:     open,
		bare:      open,
	}
	for _, id := range ids[5:] {
		want[id] = open
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("States (-want +got):\n%s", diff)
	}
	// 10 labelled issues and a pull request, 5 a page: 3 listings; then
	// one get each for the unlabelled #4, the deleted #5 (410), the
	// other repository's issue and #9999 (404).
	if made != 7 {
		t.Errorf("States made %d calls; want 7 (%v)", made, srv.Admin().Stats().Calls)
	}
}

// TestStatesStopsWhenAllSeen: the listing stops at the page where the
// last id asked for shows up (newest first).
func TestStatesStopsWhenAllSeen(t *testing.T) {
	srv, url := githubtest.NewTestServer(t, githubtest.Options{MaxPerPage: 100})
	ids := fileFor(t, url, repo, "incident-a", 30)
	tr, err := github.New(github.Config{APIURL: url, Repo: repo, Token: "ghp_test", Labels: []string{"postmortem"}, Channel: "incident-z", PerPage: 10})
	if err != nil {
		t.Fatal(err)
	}
	before := calls(srv.Admin().Stats(), "github")
	got, err := tr.States(context.Background(), ids[25:])
	if err != nil || len(got) != 5 {
		t.Fatalf("States = %v, %v", got, err)
	}
	if made := calls(srv.Admin().Stats(), "github") - before; made != 1 {
		t.Errorf("%d calls for the 5 newest of 30; want 1", made)
	}
}

// BenchmarkStates reports the calls per ticket of reading 250 tickets'
// states, filed over five incidents: ⌈250/100⌉ = 3 listings, 0.012 a
// ticket.
func BenchmarkStates(b *testing.B) {
	srv, url := githubtest.NewTestServer(b, githubtest.Options{})
	var ids []string
	for i := range 5 {
		ids = append(ids, fileFor(b, url, repo, fmt.Sprintf("incident-%d", i), 50)...)
	}
	p := person(b, url)
	for i := 0; i < len(ids); i += 3 {
		edit(b, p, ids[i], &gh.IssueRequest{State: gh.String("closed")})
	}
	tr, err := github.New(github.Config{APIURL: url, Repo: repo, Token: "ghp_test", Labels: []string{"postmortem"}, Channel: "incident-z"})
	if err != nil {
		b.Fatal(err)
	}
	var perTicket float64
	for b.Loop() {
		before := calls(srv.Admin().Stats(), "github")
		got, err := tr.States(context.Background(), ids)
		if err != nil {
			b.Fatal(err)
		}
		if len(got) != len(ids) {
			b.Fatalf("%d states; want %d", len(got), len(ids))
		}
		perTicket += float64(calls(srv.Admin().Stats(), "github")-before) / float64(len(ids))
	}
	b.ReportMetric(perTicket/float64(b.N), "calls/ticket")
}
