package github_test

import (
	"context"
	"strings"
	"testing"

	"github.com/wrapup/wrapup/timeline"
	"github.com/wrapup/wrapup/trackers"
	"github.com/wrapup/wrapup/trackers/github"
	"github.com/wrapup/wrapup/trackers/githubtest"
)

const docURL = "https://github.com/acme/postmortems/blob/main/postmortems/2026-03-26-api/postmortem.md"

// edits counts the PATCHes of issues so far.
func edits(srv *githubtest.Server) int {
	n := 0
	for k, c := range srv.Admin().Stats().Calls {
		if strings.HasPrefix(k, "github PATCH /repos/"+repo+"/issues/") {
			n += c
		}
	}
	return n
}

// TestLinkPostmortem: an issue filed before the postmortem's URL was
// known gets the link's line once, on the first call; later calls, as
// reruns make them, find it and edit nothing, and refiling leaves it.
func TestLinkPostmortem(t *testing.T) {
	ctx := context.Background()
	srv, tr := newGitHub(t, githubtest.Options{}, func(c *github.Config) { c.PostmortemURL = "" })
	f := &trackers.Filer{Service: tr}
	tickets, err := f.File(ctx, items(3))
	if err != nil {
		t.Fatal(err)
	}
	for run := range 3 {
		linked := 0
		for _, tk := range tickets {
			changed, err := tr.LinkPostmortem(ctx, tk.Ticket, docURL)
			if err != nil {
				t.Fatalf("run %d: %v", run, err)
			}
			if changed {
				linked++
			}
		}
		if want := map[bool]int{true: 3, false: 0}[run == 0]; linked != want {
			t.Errorf("run %d linked %d issues; want %d", run, linked, want)
		}
		if _, err := f.File(ctx, items(3)); err != nil {
			t.Fatalf("run %d: refile: %v", run, err)
		}
	}
	if n := edits(srv); n != 3 {
		t.Errorf("%d issue edits; want 3", n)
	}
	onceEach(t, srv, 3)
}

// TestLinkPostmortemFiledWithLink: an issue filed when the URL was known
// has the line from Body already; linking it edits nothing.
func TestLinkPostmortemFiledWithLink(t *testing.T) {
	ctx := context.Background()
	srv, tr := newGitHub(t, githubtest.Options{}, func(c *github.Config) { c.PostmortemURL = docURL })
	tickets, err := (&trackers.Filer{Service: tr}).File(ctx, items(2))
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range tickets {
		if changed, err := tr.LinkPostmortem(ctx, tk.Ticket, docURL); err != nil || changed {
			t.Errorf("%s: changed %v, %v", tk.Ticket.ID, changed, err)
		}
	}
	if n := edits(srv); n != 0 {
		t.Errorf("%d issue edits; want none", n)
	}
	onceEach(t, srv, 2)
}

// TestLinkPostmortemQuoted: an action item whose text holds the link's
// line (the channel's words, fenced in the body) is not taken as linked.
func TestLinkPostmortemQuoted(t *testing.T) {
	ctx := context.Background()
	srv, tr := newGitHub(t, githubtest.Options{}, func(c *github.Config) { c.PostmortemURL = "" })
	it := items(1)[0]
	it.Text = "copy this:\n" + github.PostmortemLine(docURL) + "\n(" + docURL + ")"
	tickets, err := (&trackers.Filer{Service: tr}).File(ctx, []timeline.ActionItem{it})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := tr.LinkPostmortem(ctx, tickets[0].Ticket, docURL); err != nil {
			t.Fatal(err)
		}
	}
	body := srv.Issues(repo)[0].Body
	if n := strings.Count(body, github.PostmortemLine(docURL)); n != 2 || !strings.HasSuffix(body, "\n"+github.PostmortemLine(docURL)+"\n") {
		t.Errorf("want the quoted line and one link after the text:\n%s", body)
	}
}

// TestLinkPostmortemBadTicket: a ticket that is not an issue of the
// repository is an error naming it, never a panic or a call.
func TestLinkPostmortemBadTicket(t *testing.T) {
	srv, tr := newGitHub(t, githubtest.Options{}, nil)
	for _, id := range []string{"", "#", "12", "octo/ops#", "octo/ops#x", "octo/ops#-1", "other/repo#1", "OPS-12"} {
		_, err := tr.LinkPostmortem(context.Background(), timeline.Ticket{Tracker: "github", ID: id}, docURL)
		if err == nil || !strings.Contains(err.Error(), "not an issue of octo/ops") {
			t.Errorf("%q: %v", id, err)
		}
	}
	if n := len(srv.Admin().Stats().Calls); n != 0 {
		t.Errorf("%d calls", n)
	}
}

// onceEach checks that each of the want issues links its postmortem on
// exactly one line.
func onceEach(t *testing.T, srv *githubtest.Server, want int) {
	t.Helper()
	issues := srv.Issues(repo)
	if len(issues) != want {
		t.Fatalf("%d issues; want %d", len(issues), want)
	}
	for _, is := range issues {
		if n := strings.Count(is.Body, github.PostmortemLine(docURL)); n != 1 {
			t.Errorf("#%d has the link %d times:\n%s", is.Number, n, is.Body)
		}
	}
}
