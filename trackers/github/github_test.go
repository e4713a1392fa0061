package github_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wrapup/wrapup/internal/emulator"
	"github.com/wrapup/wrapup/trackers"
	"github.com/wrapup/wrapup/trackers/github"
	"github.com/wrapup/wrapup/trackers/githubtest"
	"github.com/wrapup/wrapup/trackers/trackertest"
)

func TestContract(t *testing.T) {
	t.Run("enterprise", func(t *testing.T) {
		trackertest.Run(t, func(t *testing.T) trackers.Tracker {
			// Pages of 2, so that every lookup of 3+ items pages.
			_, tr := newGitHub(t, githubtest.Options{MaxPerPage: 2}, nil)
			return tr
		})
	})
	t.Run("github.com", func(t *testing.T) {
		trackertest.Run(t, func(t *testing.T) trackers.Tracker {
			_, u := githubtest.NewTestServer(t, githubtest.Options{MaxPerPage: 2})
			target, _ := url.Parse(u)
			tr, err := github.New(github.Config{Repo: repo, Token: "t", Channel: channel, WriteSpacing: time.Millisecond, Transport: dotCom{target}})
			if err != nil {
				t.Fatal(err)
			}
			return tr
		})
	})
}

func TestIdempotency(t *testing.T) {
	const n = 6
	ctx := context.Background()

	t.Run("filing N items twice gives N issues", func(t *testing.T) {
		srv, tr := newGitHub(t, githubtest.Options{}, nil)
		f := &trackers.Filer{Service: tr}
		for run := range 2 {
			if _, err := f.File(ctx, items(n)); err != nil {
				t.Fatalf("run %d: %v", run, err)
			}
		}
		if got := countByKey(t, srv); got != n || len(srv.Issues(repo)) != n {
			t.Errorf("%d issues; want %d", len(srv.Issues(repo)), n)
		}
	})

	t.Run("GitHub dies after k creations, the rerun completes", func(t *testing.T) {
		const k = 2
		srv, tr := newGitHub(t, githubtest.Options{}, nil)
		if err := srv.Admin().SetFaults([]emulator.Fault{{Service: "github", Method: "POST", Path: "/repos/" + repo + "/issues", After: k, Status: 500}}); err != nil {
			t.Fatal(err)
		}
		f := &trackers.Filer{Service: tr, Backoff: time.Millisecond}
		if _, err := f.File(ctx, items(n)); err == nil {
			t.Fatal("first run succeeded against a dead GitHub")
		}
		if got := len(srv.Issues(repo)); got != k {
			t.Fatalf("%d issues after the first run; want %d", got, k)
		}
		srv.Admin().SetFaults(nil)
		if _, err := f.File(ctx, items(n)); err != nil {
			t.Fatalf("rerun: %v", err)
		}
		if got := countByKey(t, srv); got != n {
			t.Errorf("%d issues; want %d", got, n)
		}
	})

	t.Run("a create that timed out but succeeded is not duplicated", func(t *testing.T) {
		srv, tr := newGitHub(t, githubtest.Options{}, func(c *github.Config) { c.Timeout = 300 * time.Millisecond })
		if err := srv.Admin().SetFaults([]emulator.Fault{{Service: "github", Method: "POST", Path: "/repos/" + repo + "/issues", After: 1, Times: 1, Delay: emulator.Duration(3 * time.Second)}}); err != nil {
			t.Fatal(err)
		}
		out, err := (&trackers.Filer{Service: tr, Backoff: time.Millisecond}).File(ctx, items(3))
		if err != nil {
			t.Fatal(err)
		}
		if got := countByKey(t, srv); got != 3 || len(srv.Issues(repo)) != 3 {
			t.Errorf("%d issues; want 3", len(srv.Issues(repo)))
		}
		if out[1].Status != trackers.StatusRecovered {
			t.Errorf("second item: %s; want recovered", out[1].Status)
		}
	})

	t.Run("lookup skips pull requests and other incidents' issues", func(t *testing.T) {
		srv, u := githubtest.NewTestServer(t, githubtest.Options{MaxPerPage: 2})
		mk := func(ch string) *github.Tracker {
			tr, err := github.New(github.Config{APIURL: u, Repo: repo, Token: "t", Channel: ch, WriteSpacing: time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			return tr
		}
		tr, other := mk(channel), mk("incident-other")
		it := items(1)[0]
		srv.AddPullRequest(repo, "a PR quoting the item", github.Marker(it.Key)+"\n", github.IncidentLabel(channel))
		if _, err := other.File(ctx, it); err != nil {
			t.Fatal(err)
		}
		got, err := tr.Lookup(ctx, []string{it.Key})
		if err != nil || len(got) != 0 {
			t.Errorf("Lookup = %v, %v; want nothing", got, err)
		}
		if got, err := other.Lookup(ctx, []string{it.Key}); err != nil || len(got) != 1 {
			t.Errorf("the other incident's Lookup = %v, %v; want its issue", got, err)
		}
	})
}

func TestDryRun(t *testing.T) {
	srv, tr := newGitHub(t, githubtest.Options{}, nil)
	var out strings.Builder
	f, plan := (&trackers.Filer{Service: tr}).DryRun(&out)
	if _, err := f.File(context.Background(), items(3)); err != nil {
		t.Fatal(err)
	}
	if len(srv.Issues(repo)) != 0 || hasLabel(srv.Labels(repo), github.IncidentLabel(channel)) {
		t.Errorf("dry run wrote: %d issues, labels %v", len(srv.Issues(repo)), srv.Labels(repo))
	}
	if len(plan.Plan()) != 3 || strings.Count(out.String(), "would file") != 3 {
		t.Errorf("plan %v, printed %q; want 3 items", plan.Plan(), out.String())
	}
}

var mdLinkRE = regexp.MustCompile(`\[([^\]]*)\]\(([^)]*)\)`)

func TestHostileText(t *testing.T) {
	srv, tr := newGitHub(t, githubtest.Options{}, nil)
	hostile := trackertest.HostileItems()
	hostile[0].Text += "\n````\n" + github.Marker("forged") + "\n````"
	if _, err := (&trackers.Filer{Service: tr}).File(context.Background(), hostile); err != nil {
		t.Fatal(err)
	}
	issues := srv.Issues(repo)
	if len(issues) != len(hostile) {
		t.Fatalf("%d issues; want %d", len(issues), len(hostile))
	}
	for i, is := range issues {
		it := hostile[i]
		if strings.ContainsAny(is.Title, "\r\n") || len([]rune(is.Title)) > github.MaxTitle {
			t.Errorf("title %q: not one line of at most %d characters", is.Title, github.MaxTitle)
		}
		text, ok := github.Unfence(is.Body)
		want := strings.ReplaceAll(strings.ReplaceAll(it.Text, "\r\n", "\n"), "\r", "\n")
		if !ok || text != want {
			t.Errorf("item %d: the body does not show the text literally:\n%s", i, is.Body)
		}
		if k, ok := github.MarkerKey(is.Body); !ok || k != it.Key {
			t.Errorf("item %d: marker key %q; want %q", i, k, it.Key)
		}
		outside := strings.Replace(is.Body, github.Fence(it.Text), "", 1)
		var links []string
		for _, m := range mdLinkRE.FindAllStringSubmatch(outside, -1) {
			links = append(links, m[1]+"|"+m[2])
		}
		wantLinks := []string{"Slack message|" + *it.Permalink, "postmortem|https://ci.example.com/postmortems/2026-03-26-api/postmortem.html"}
		if strings.Join(links, "\n") != strings.Join(wantLinks, "\n") {
			t.Errorf("item %d: links %q; want %q", i, links, wantLinks)
		}
		if strings.Contains(outside, "<") && strings.Count(outside, "<") != 1 {
			t.Errorf("item %d: HTML outside the fence:\n%s", i, outside)
		}
	}
	got, err := tr.Lookup(context.Background(), []string{"forged"})
	if err != nil || len(got) != 0 {
		t.Errorf("a forged marker was found: %v, %v", got, err)
	}
}

func TestAssigneeAndLabels(t *testing.T) {
	long := "incident-" + strings.Repeat("x", 60)
	srv, tr := newGitHub(t, githubtest.Options{}, func(c *github.Config) { c.Channel = long })
	ctx := context.Background()
	known, unknown := items(2)[0], items(2)[1]
	known.Assignee, unknown.Assignee = "dave", "zed"
	for _, it := range []struct {
		item      string
		assignees []string
		note      bool
	}{{"known", []string{"dave-gh"}, false}, {"unknown", nil, true}} {
		t.Run(it.item, func(t *testing.T) {
			item := known
			if it.item == "unknown" {
				item = unknown
			}
			if _, err := tr.File(ctx, item); err != nil {
				t.Fatal(err)
			}
			is := srv.Issues(repo)[len(srv.Issues(repo))-1]
			if strings.Join(is.Assignees, ",") != strings.Join(it.assignees, ",") {
				t.Errorf("assignees %v; want %v", is.Assignees, it.assignees)
			}
			if got := strings.Contains(is.Body, "Unassigned"); got != it.note {
				t.Errorf("note in body: %v; want %v", got, it.note)
			}
			label := github.IncidentLabel(long)
			if len([]rune(label)) != github.MaxLabel || !hasLabel(is.Labels, label) || !hasLabel(is.Labels, "postmortem") {
				t.Errorf("labels %v; want postmortem and %q (%d chars)", is.Labels, label, github.MaxLabel)
			}
		})
	}
}

func TestRateLimits(t *testing.T) {
	ctx := context.Background()
	t.Run("writes are spaced", func(t *testing.T) {
		const spacing = 40 * time.Millisecond
		srv, tr := newGitHub(t, githubtest.Options{WriteSpacing: spacing}, func(c *github.Config) { c.WriteSpacing = spacing + 5*time.Millisecond })
		start := time.Now()
		if _, err := (&trackers.Filer{Service: tr, Concurrency: 4}).File(ctx, items(4)); err != nil {
			t.Fatal(err)
		}
		// 2 label creations and 4 issues: 5 gaps.
		if el := time.Since(start); el < 5*spacing {
			t.Errorf("6 writes took %v; want at least %v", el, 5*spacing)
		}
		if rl := srv.Admin().Stats().RateLimited; len(rl) != 0 {
			t.Errorf("secondary limits hit: %v", rl)
		}
	})
	for _, status := range []int{403, 429} {
		t.Run("secondary limit "+map[int]string{403: "403", 429: "429"}[status]+" is waited out", func(t *testing.T) {
			srv, tr := newGitHub(t, githubtest.Options{WriteSpacing: 200 * time.Millisecond, SecondaryStatus: status}, func(c *github.Config) {
				c.RateLimit = &trackers.RateLimitTransport{Sleep: func(ctx context.Context, d time.Duration) error {
					return trackers.Sleep(ctx, d/4) // Retry-After is 1s; wait 250ms
				}}
			})
			if _, err := (&trackers.Filer{Service: tr}).File(ctx, items(2)); err != nil {
				t.Fatal(err)
			}
			if got := countByKey(t, srv); got != 2 {
				t.Errorf("%d issues; want 2", got)
			}
			rl := 0
			for _, n := range srv.Admin().Stats().RateLimited {
				rl += n
			}
			if rl == 0 {
				t.Error("no secondary limit was hit: the test tests nothing")
			}
		})
	}
}

func TestErrors(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name      string
		opts      githubtest.Options
		token     string
		permanent bool
	}{
		{"bad credentials", githubtest.Options{Token: "right"}, "wrong", true},
		{"read-only token", githubtest.Options{ReadOnlyToken: "ro"}, "ro", true},
		{"issues disabled", githubtest.Options{IssuesDisabled: true}, "t", true},
		{"no such repo", githubtest.Options{Repos: []string{"octo/other"}}, "t", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, tr := newGitHub(t, tt.opts, func(c *github.Config) { c.Token = tt.token })
			_, err := tr.File(ctx, items(1)[0])
			if err == nil || trackers.IsPermanent(err) != tt.permanent {
				t.Errorf("err %v; want permanent %v", err, tt.permanent)
			}
		})
	}
}

// TestReadOnlyTracker: a tracker made without the incident's channel can
// read the repository (wrapup check goes through its API), but refuses
// to file or look up: the channel's label is how reruns find tickets.
func TestReadOnlyTracker(t *testing.T) {
	srv, tr := newGitHub(t, githubtest.Options{}, func(c *github.Config) { c.Channel = "" })
	ctx := context.Background()
	if _, err := tr.File(ctx, trackertest.Item("x", 0)); err == nil || !strings.Contains(err.Error(), "channel") {
		t.Errorf("File: %v; want a refusal naming the channel", err)
	}
	if _, err := tr.Lookup(ctx, []string{"k"}); err == nil {
		t.Error("Lookup without a channel: no error")
	}
	owner, name := tr.Repo()
	if _, _, err := tr.API().Repositories.Get(ctx, owner, name); err != nil {
		t.Errorf("reading the repository through API(): %v", err)
	}
	if n := len(srv.Issues(repo)); n != 0 {
		t.Errorf("%d issues filed", n)
	}
}
