package pipeline

import (
	"os"
	"strings"
	"testing"

	"github.com/slack-go/slack"
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
