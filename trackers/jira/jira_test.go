package jira_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wrapup/wrapup/internal/emulator"
	"github.com/wrapup/wrapup/internal/folder"
	"github.com/wrapup/wrapup/timeline"
	"github.com/wrapup/wrapup/trackers"
	"github.com/wrapup/wrapup/trackers/jira"
	"github.com/wrapup/wrapup/trackers/jiratest"
	"github.com/wrapup/wrapup/trackers/trackertest"
)

func TestContract(t *testing.T) {
	for _, dep := range []string{jiratest.Cloud, jiratest.DataCenter} {
		t.Run(dep, func(t *testing.T) {
			trackertest.Run(t, func(t *testing.T) trackers.Tracker {
				// A page of 2 makes every lookup of 3+ items page.
				_, tr := newJira(t, jiratest.Options{Deployment: dep, MaxResults: 2}, nil)
				return tr
			})
		})
	}
}

func items(n int) []timeline.ActionItem {
	var its []timeline.ActionItem
	for i := range n {
		its = append(its, trackertest.Item("jira", i))
	}
	return its
}

// countByKey fails on any duplicate and returns the number of keys filed.
func countByKey(t *testing.T, srv *jiratest.Server) int {
	t.Helper()
	seen := map[string]string{}
	for _, is := range srv.Issues() {
		for _, l := range is.Labels {
			if k, ok := strings.CutPrefix(l, jira.LabelPrefix); ok {
				if prev, dup := seen[k]; dup {
					t.Errorf("key %s filed twice: %s and %s", k, prev, is.Key)
				}
				seen[k] = is.Key
			}
		}
	}
	return len(seen)
}

func TestIdempotency(t *testing.T) {
	const n = 8
	ctx := context.Background()

	t.Run("filing N items twice gives N issues", func(t *testing.T) {
		srv, tr := newJira(t, jiratest.Options{}, nil)
		f := &trackers.Filer{Service: tr, Concurrency: 4}
		for run := range 2 {
			if _, err := f.File(ctx, items(n)); err != nil {
				t.Fatalf("run %d: %v", run, err)
			}
		}
		if got := countByKey(t, srv); got != n || len(srv.Issues()) != n {
			t.Errorf("%d issues; want %d", len(srv.Issues()), n)
		}
	})

	t.Run("Jira dies after k creations, the rerun completes", func(t *testing.T) {
		const k = 3
		srv, tr := newJira(t, jiratest.Options{}, nil)
		if err := srv.Admin().SetFaults([]emulator.Fault{{Service: "jira", Method: "POST", Path: "/rest/api/2/issue", After: k, Status: 500}}); err != nil {
			t.Fatal(err)
		}
		f := &trackers.Filer{Service: tr, Concurrency: 1, Backoff: time.Millisecond}
		if _, err := f.File(ctx, items(n)); err == nil {
			t.Fatal("first run succeeded against a dead Jira")
		}
		if got := len(srv.Issues()); got != k {
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

	t.Run("output folder gone, search 60s behind: the Slack ledger prevents duplicates", func(t *testing.T) {
		clk := &clock{now: time.Date(2026, 3, 26, 16, 0, 0, 0, time.UTC)}
		srv, tr := newJira(t, jiratest.Options{SearchDelay: 60 * time.Second, Now: clk.Now}, nil)
		slack := &trackers.MemoryLedger{}
		dir := t.TempDir()
		folder := &folder.Ledger{Path: filepath.Join(dir, "wrapup.json")}
		f := &trackers.Filer{Service: tr, Ledgers: []trackers.Ledger{slack, folder}, Concurrency: 4}
		if _, err := f.File(ctx, items(n)); err != nil {
			t.Fatal(err)
		}
		if err := os.Remove(folder.Path); err != nil {
			t.Fatal(err)
		}
		clk.Add(10 * time.Second) // the rerun comes while the search still lags
		if _, err := f.File(ctx, items(n)); err != nil {
			t.Fatal(err)
		}
		if got := countByKey(t, srv); got != n || len(srv.Issues()) != n {
			t.Errorf("%d issues; want %d", len(srv.Issues()), n)
		}

		// With neither ledger, the lagging search is all there is, and it
		// says nothing was filed: every item is filed again.
		bare := &trackers.Filer{Service: tr, Concurrency: 4}
		if _, err := bare.File(ctx, items(n)); err != nil {
			t.Fatal(err)
		}
		if got := len(srv.Issues()); got != 2*n {
			t.Errorf("without ledgers, %d issues; want %d (the gap the ledgers close)", got, 2*n)
		}
	})

	t.Run("a create that timed out but succeeded is not duplicated", func(t *testing.T) {
		srv, tr := newJira(t, jiratest.Options{}, func(c *jira.Config) { c.Timeout = 300 * time.Millisecond })
		if err := srv.Admin().SetFaults([]emulator.Fault{{Service: "jira", Method: "POST", Path: "/rest/api/2/issue", After: 1, Times: 1, Delay: emulator.Duration(3 * time.Second)}}); err != nil {
			t.Fatal(err)
		}
		f := &trackers.Filer{Service: tr, Backoff: time.Millisecond}
		out, err := f.File(ctx, items(3))
		if err != nil {
			t.Fatal(err)
		}
		if got := countByKey(t, srv); got != 3 || len(srv.Issues()) != 3 {
			t.Errorf("%d issues; want 3", len(srv.Issues()))
		}
		if out[1].Status != trackers.StatusRecovered {
			t.Errorf("second item: %s; want recovered", out[1].Status)
		}
	})

	t.Run("a timed-out create is not retried while Cloud's search lags", func(t *testing.T) {
		clk := &clock{now: time.Date(2026, 3, 26, 16, 0, 0, 0, time.UTC)}
		srv, tr := newJira(t, jiratest.Options{SearchDelay: 60 * time.Second, Now: clk.Now},
			func(c *jira.Config) { c.Timeout = 300 * time.Millisecond })
		if err := srv.Admin().SetFaults([]emulator.Fault{{Service: "jira", Method: "POST", Path: "/rest/api/2/issue", After: 1, Times: 1, Delay: emulator.Duration(3 * time.Second)}}); err != nil {
			t.Fatal(err)
		}
		f := &trackers.Filer{Service: tr, Backoff: time.Millisecond}
		out, err := f.File(ctx, items(3))
		if err == nil || out[1].Status != trackers.StatusFailed {
			t.Fatalf("second item: %s, %v; want failed, not retried", out[1].Status, err)
		}
		if got := len(srv.Issues()); got != 3 {
			t.Fatalf("%d issues; want 3 (the timed-out create did land, once)", got)
		}
		clk.Add(61 * time.Second) // the next run, once the index caught up
		out, err = f.File(ctx, items(3))
		if err != nil || out[1].Status != trackers.StatusFound {
			t.Fatalf("rerun: second item %s, %v; want found", out[1].Status, err)
		}
		if got := countByKey(t, srv); got != 3 || len(srv.Issues()) != 3 {
			t.Errorf("%d issues; want 3", len(srv.Issues()))
		}
	})

	t.Run("429s are waited out", func(t *testing.T) {
		srv, tr := newJira(t, jiratest.Options{}, nil)
		if err := srv.Admin().SetFaults([]emulator.Fault{{Service: "jira", Method: "POST", Path: "/rest/api/2/issue", Times: 2, Status: 429, RetryAfter: 1}}); err != nil {
			t.Fatal(err)
		}
		if _, err := (&trackers.Filer{Service: tr}).File(ctx, items(2)); err != nil {
			t.Fatal(err)
		}
		if got := len(srv.Issues()); got != 2 {
			t.Errorf("%d issues; want 2", got)
		}
		if rl := srv.Admin().Stats().RateLimited["jira POST /rest/api/2/issue"]; rl != 2 {
			t.Errorf("%d rate-limited calls; want 2", rl)
		}
	})
}

func TestDryRun(t *testing.T) {
	srv, tr := newJira(t, jiratest.Options{}, nil)
	var out strings.Builder
	f, plan := (&trackers.Filer{Service: tr}).DryRun(&out)
	if _, err := f.File(context.Background(), items(3)); err != nil {
		t.Fatal(err)
	}
	if len(srv.Issues()) != 0 {
		t.Errorf("dry run created %d issues", len(srv.Issues()))
	}
	if len(plan.Plan()) != 3 || strings.Count(out.String(), "would file") != 3 {
		t.Errorf("plan %v, printed %q; want 3 items", plan.Plan(), out.String())
	}
}

// linkRE finds wiki links: [text|url] or [url].
var linkRE = regexp.MustCompile(`(?:^|[^\\])\[([^\]]*)\]`)

func TestHostileText(t *testing.T) {
	for _, dep := range []string{jiratest.Cloud, jiratest.DataCenter} {
		t.Run(dep, func(t *testing.T) {
			srv, tr := newJira(t, jiratest.Options{Deployment: dep}, nil)
			hostile := trackertest.HostileItems()
			if _, err := (&trackers.Filer{Service: tr}).File(context.Background(), hostile); err != nil {
				t.Fatal(err)
			}
			issues := srv.Issues()
			if len(issues) != len(hostile) {
				t.Fatalf("%d issues; want %d", len(issues), len(hostile))
			}
			for i, is := range issues {
				it := hostile[i]
				if strings.ContainsAny(is.Summary, "\r\n") || len([]rune(is.Summary)) > jira.MaxSummary {
					t.Errorf("summary %q: not one line of at most %d characters", is.Summary, jira.MaxSummary)
				}
				text, ok := jira.Unnoformat(is.Description)
				want := strings.ReplaceAll(strings.ReplaceAll(it.Text, "\r\n", "\n"), "\r", "\n")
				if !ok || text != want {
					t.Errorf("item %d: the description does not show the text literally:\n%s", i, is.Description)
				}
				// Outside the {noformat} block, only our two links.
				outside := strings.Replace(is.Description, jira.Noformat(it.Text), "", 1)
				var links []string
				for _, m := range linkRE.FindAllStringSubmatch(outside, -1) {
					links = append(links, m[1])
				}
				wantLinks := []string{"Slack message|" + *it.Permalink, "postmortem|https://ci.example.com/postmortems/2026-03-26-api/postmortem.html"}
				if strings.Join(links, "\n") != strings.Join(wantLinks, "\n") {
					t.Errorf("item %d: links %q; want %q", i, links, wantLinks)
				}
			}
		})
	}
}

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"dave", "dave"},
		{"[x|https://evil]", `\[x\|https\://evil\]`},
		{"*b* _i_ {code}", `\*b\* \_i\_ \{code\}`},
		{"two\nlines", "two lines"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := jira.Escape(tt.in); got != tt.want {
				t.Errorf("Escape(%q) = %q; want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestAssignee(t *testing.T) {
	tests := []struct {
		name, dep, handle, email string
		want                     string // the assignee the emulator holds
		note                     bool
	}{
		{"cloud by e-mail", jiratest.Cloud, "dave", "dave@example.com", people[0].AccountID, false},
		{"cloud e-mail with plus", jiratest.Cloud, "erin", "erin+ops@example.com", people[1].AccountID, false},
		{"cloud unknown", jiratest.Cloud, "zed", "zed@example.com", "", true},
		{"cloud no e-mail", jiratest.Cloud, "dave", "", "", true},
		{"datacenter by e-mail", jiratest.DataCenter, "dave", "dave@example.com", "dave", false},
		{"datacenter by handle", jiratest.DataCenter, "erin", "", "erin", false},
		{"datacenter unknown", jiratest.DataCenter, "zed", "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			srv, tr := newJira(t, jiratest.Options{Deployment: tt.dep}, func(c *jira.Config) { c.Transport = rec })
			it := trackertest.Item("assign", 1)
			it.Assignee, it.AssigneeEmail = tt.handle, tt.email
			if _, err := tr.File(context.Background(), it); err != nil {
				t.Fatal(err)
			}
			is := srv.Issues()[0]
			if is.Assignee != tt.want {
				t.Errorf("assignee %q; want %q", is.Assignee, tt.want)
			}
			if got := strings.Contains(is.Description, "Unassigned"); got != tt.note {
				t.Errorf("note in description: %v; want %v\n%s", got, tt.note, is.Description)
			}
			for _, b := range rec.all() {
				if strings.Contains(strings.ToLower(b), "password") {
					t.Errorf("a request body mentions a password: %s", b)
				}
			}
		})
	}
}

func TestOptionalFields(t *testing.T) {
	srv, url := jiratest.NewTestServer(t, jiratest.Options{})
	tr := newTracker(t, url, jiratest.Cloud, nil)
	ctx := context.Background()
	epic, err := tr.File(ctx, trackertest.Item("epic", 0))
	if err != nil {
		t.Fatal(err)
	}
	tr2 := newTracker(t, url, jiratest.Cloud, func(c *jira.Config) {
		c.Priority, c.Parent = "High", epic.ID
		c.CustomFields = map[string]any{"customfield_10010": map[string]string{"value": "Backend"}, "customfield_10014": epic.ID}
	})
	if _, err := tr2.File(ctx, trackertest.Item("child", 1)); err != nil {
		t.Fatal(err)
	}
	is := srv.Issues()[1]
	if is.Priority != "High" || is.Parent != epic.ID || string(is.Custom["customfield_10014"]) != `"`+epic.ID+`"` ||
		string(is.Custom["customfield_10010"]) != `{"value":"Backend"}` {
		t.Errorf("fields: priority %q parent %q custom %s", is.Priority, is.Parent, is.Custom)
	}
	if len(is.RemoteLinks) != 1 || is.RemoteLinks[0].GlobalID == "" || is.RemoteLinks[0].URL != *trackertest.Item("child", 1).Permalink {
		t.Errorf("remote links %+v; want one to the permalink, with a globalId", is.RemoteLinks)
	}
}

// TestReadOnlyTracker: without an issue type the tracker can read (wrapup
// check goes through its API) but refuses to file.
func TestReadOnlyTracker(t *testing.T) {
	srv, url := jiratest.NewTestServer(t, jiratest.Options{})
	tr := newTracker(t, url, jiratest.Cloud, func(c *jira.Config) { c.IssueType = "" })
	if _, err := tr.File(context.Background(), trackertest.Item("x", 0)); err == nil || !strings.Contains(err.Error(), "issue_type") {
		t.Errorf("File: %v; want a refusal naming issue_type", err)
	}
	if _, _, err := tr.API().Project.GetWithContext(context.Background(), "OPS"); err != nil {
		t.Errorf("reading the project through API(): %v", err)
	}
	if n := len(srv.Issues()); n != 0 {
		t.Errorf("%d issues filed", n)
	}
}
