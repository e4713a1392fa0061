package pipeline

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/slack-go/slack"
	"github.com/wrapup/wrapup/internal/demo"
	"github.com/wrapup/wrapup/internal/wire"
	"github.com/wrapup/wrapup/publish"
	ghtracker "github.com/wrapup/wrapup/trackers/github"
)

// TestPublishEndToEnd: with publish.github set, a run opens one pull
// request with the documents and links every ticket to the published
// postmortem; a rerun after the channel changed adds one commit to it; a
// third changes nothing; every ticket carries exactly one link however
// often it runs; after a merge the pull request is left alone. Each
// rerun starts without the output folder, as in CI. With Jira the link
// is a remote link; with GitHub issues, a line of the body.
func TestPublishEndToEnd(t *testing.T) {
	t.Run("jira", func(t *testing.T) { testPublishEndToEnd(t, "jira") })
	t.Run("github", func(t *testing.T) { testPublishEndToEnd(t, "github") })
}

func testPublishEndToEnd(t *testing.T, tracker string) {
	e := newEnv(t)
	e.cfg.Publish.GitHub.Repo = "acme/postmortems"
	e.cfg.Publish.GitHub.Reviewers = []string{"commander", "bob-gh"}
	e.cfg.Tracker.GitHub.Users = map[string]string{}
	if tracker == "github" {
		e.cfg.Tracker.Kind, e.cfg.Tracker.GitHub.Repo, e.cfg.Tracker.GitHub.APIURL = "github", "acme/incidents", e.url
	}
	getenv := func(k string) string {
		if k == "GITHUB_TOKEN" {
			return "gh-token"
		}
		return e.getenv(k)
	}
	e.cfg.Publish.GitHub.APIURL = e.url
	pub, err := wire.Publisher(e.cfg, getenv, 1)
	if err != nil {
		t.Fatal(err)
	}
	run := func(n int) *Result {
		t.Helper()
		if err := os.RemoveAll(e.out); err != nil {
			t.Fatal(err)
		}
		res, err := e.run(t, func(o *Options) {
			o.Publisher, o.NoClose, o.Tracker = pub, true, wire.Tracker(e.cfg, getenv, "", 1)
		})
		if err != nil {
			t.Fatalf("run %d: %v (notes %v)", n, err, res.Notes)
		}
		return res
	}
	docURL := e.url + "/acme/postmortems/blob/main/postmortems/2026-03-26-" + "incident-" // prefix; the channel follows
	res := run(1)
	if res.Publish == nil || res.Publish.State != publish.StateOpened || res.PullRequest == "" ||
		!strings.HasPrefix(res.Postmortem, docURL) || !strings.HasSuffix(res.Postmortem, "/postmortem.md") {
		t.Fatalf("run 1: publish %+v, pull request %q, postmortem %q", res.Publish, res.PullRequest, res.Postmortem)
	}
	pulls := e.stack.GitHub.Pulls("acme/postmortems")
	if len(pulls) != 1 || len(pulls[0].Files) != 2 || pulls[0].Commits != 1 {
		t.Fatalf("pulls after run 1: %+v", pulls)
	}
	checkLinks := func(n int) {
		t.Helper()
		if tracker == "github" {
			issues := e.stack.GitHub.Issues("acme/incidents")
			if len(issues) == 0 {
				t.Fatalf("run %d: no GitHub issues filed", n)
			}
			for _, is := range issues {
				if c := strings.Count(is.Body, ghtracker.PostmortemLine(res.Postmortem)); c != 1 {
					t.Errorf("run %d: #%d links the postmortem %d times, want 1:\n%s", n, is.Number, c, is.Body)
				}
			}
			return
		}
		if len(e.stack.Jira.Issues()) == 0 {
			t.Fatalf("run %d: no Jira issues filed", n)
		}
		for _, is := range e.stack.Jira.Issues() {
			c := 0
			for _, l := range is.RemoteLinks {
				if l.GlobalID == res.Postmortem {
					c++
				}
			}
			if c != 1 {
				t.Errorf("run %d: %s has %d links to the postmortem, want 1: %+v", n, is.Key, c, is.RemoteLinks)
			}
		}
	}
	checkLinks(1)
	// The wrap-up message names the pull request.
	if txt := (Summary{Final: true, Title: "x", PullRequest: res.PullRequest}).Text(); !strings.Contains(txt, "Review it in the pull request: <"+res.PullRequest) {
		t.Errorf("the wrap-up message does not name the pull request: %s", txt)
	}
	// The channel changes: a rerun pushes one commit to the same PR.
	api := slack.New(humanToken, slack.OptionAPIURL(e.url+"/api/"))
	if _, _, err := api.PostMessage(res.ChannelID, slack.MsgOptionText("One more thing: the cache was cold.", false)); err != nil {
		t.Fatal(err)
	}
	res2 := run(2)
	pulls = e.stack.GitHub.Pulls("acme/postmortems")
	if res2.Publish.State != publish.StateUpdated || len(pulls) != 1 || pulls[0].Commits != 2 {
		t.Fatalf("run 2: %+v; pulls %+v", res2.Publish, pulls)
	}
	checkLinks(2)
	res3 := run(3)
	if pulls = e.stack.GitHub.Pulls("acme/postmortems"); res3.Publish.State != publish.StateUnchanged || len(pulls) != 1 || pulls[0].Commits != 2 {
		t.Fatalf("run 3: %+v; pulls %+v", res3.Publish, pulls)
	}
	checkLinks(3)
	if err := e.stack.GitHub.MergePull("acme/postmortems", pulls[0].Number); err != nil {
		t.Fatal(err)
	}
	res4 := run(4)
	if pulls = e.stack.GitHub.Pulls("acme/postmortems"); res4.Publish.State != publish.StateMerged || len(pulls) != 1 {
		t.Fatalf("run 4: %+v; pulls %+v", res4.Publish, pulls)
	}
	checkLinks(4)
}

// TestPublishIndex: with the index enabled, each publish commit carries
// the docs repository's index.md and index.json, rebuilt from the base
// branch's index.json and the incident's row. Two incidents published in
// turn, by separate runs from fresh output folders (as on CI runners),
// with the first pull request merged in between: the second pull
// request's index.md lists both.
func TestPublishIndex(t *testing.T) {
	e := newEnv(t)
	// A second incident: the demo's channel under another ID and name.
	a, err := demo.Archive(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	a.Channel.ID, a.Channel.Name = "C07SECOND1", "incident-2026-03-27-search-down"
	if err := e.stack.Seed(a); err != nil {
		t.Fatal(err)
	}
	e.cfg.Publish.GitHub.Repo, e.cfg.Publish.GitHub.APIURL = "acme/postmortems", e.url
	getenv := func(k string) string {
		if k == "GITHUB_TOKEN" {
			return "gh-token"
		}
		return e.getenv(k)
	}
	pub, err := wire.Publisher(e.cfg, getenv, 1)
	if err != nil {
		t.Fatal(err)
	}
	extra := wire.PublishIndex(e.cfg, pub)
	if extra == nil {
		t.Fatal("no PublishExtra with the index enabled")
	}
	run := func(channel string) *Result {
		t.Helper()
		if err := os.RemoveAll(e.out); err != nil {
			t.Fatal(err)
		}
		res, err := e.run(t, func(o *Options) {
			o.Channel, o.Publisher, o.PublishExtra, o.NoClose = channel, pub, extra, true
		})
		if err != nil {
			t.Fatalf("%s: %v (notes %v)", channel, err, res.Notes)
		}
		return res
	}
	index := func(branch string) string {
		t.Helper()
		_, files := e.stack.GitHub.Branch("acme/postmortems", branch)
		if files["postmortems/index.json"] == nil {
			t.Fatalf("%s has no postmortems/index.json: %v", branch, slices.Collect(maps.Keys(files)))
		}
		return string(files["postmortems/index.md"])
	}
	first := run(demo.Channel)
	md := index(first.Publish.Branch)
	if !strings.Contains(md, "checkout") || strings.Contains(md, "search-down") {
		t.Errorf("the first pull request's index.md:\n%s", md)
	}
	// A rerun makes the same index: it is built as of the incidents'
	// times, not the clock's.
	_, before := e.stack.GitHub.Branch("acme/postmortems", first.Publish.Branch)
	run(demo.Channel)
	_, after := e.stack.GitHub.Branch("acme/postmortems", first.Publish.Branch)
	for _, p := range []string{"postmortems/index.md", "postmortems/index.json"} {
		if string(before[p]) != string(after[p]) {
			t.Errorf("%s changed on a rerun:\n%s", p, cmp.Diff(string(before[p]), string(after[p])))
		}
	}
	// Nor do the documents: the owner notes come back from the wrap-up
	// message, so the rerun pushes nothing.
	if pulls := e.stack.GitHub.Pulls("acme/postmortems"); len(pulls) != 1 || pulls[0].Commits != 1 {
		t.Errorf("after a rerun from a fresh folder: %+v; want one pull request with one commit", pulls)
	}
	if err := e.stack.GitHub.MergePull("acme/postmortems", first.Publish.Number); err != nil {
		t.Fatal(err)
	}
	second := run("incident-2026-03-27-search-down")
	if second.Publish.Number == first.Publish.Number {
		t.Fatalf("the second incident reused pull request #%d", first.Publish.Number)
	}
	md = index(second.Publish.Branch)
	for _, f := range []string{filepath.Base(first.Dir), filepath.Base(second.Dir)} {
		if !strings.Contains(md, f+"/postmortem.md") {
			t.Errorf("the second pull request's index.md lacks %s:\n%s", f, md)
		}
	}
}
