package emustack_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	gojira "github.com/andygrunwald/go-jira"
	gh "github.com/google/go-github/v60/github"
	"github.com/wrapup/wrapup/internal/emustack"
	"github.com/wrapup/wrapup/timeline"
	"github.com/wrapup/wrapup/trackers"
	ghtracker "github.com/wrapup/wrapup/trackers/github"
	"github.com/wrapup/wrapup/trackers/jira"
)

// serve starts the stack on 127.0.0.1 and returns its URL.
func serve(t *testing.T, opts emustack.Options) string {
	t.Helper()
	srv := httptest.NewServer(emustack.New(opts))
	t.Cleanup(srv.Close)
	return srv.URL
}

func jiraTracker(t *testing.T, url, project string, users map[string]string) *jira.Tracker {
	t.Helper()
	tr, err := jira.New(jira.Config{URL: url, User: "bot@acme.example", Token: "tok", Project: project,
		IssueType: "Task", Users: users, Channel: "incident-x",
		RateLimit: &trackers.RateLimitTransport{Sleep: func(context.Context, time.Duration) error { return nil }}})
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func githubTracker(t *testing.T, url, repo string, users map[string]string) *ghtracker.Tracker {
	t.Helper()
	tr, err := ghtracker.New(ghtracker.Config{APIURL: url, Repo: repo, Token: "ghp_test", Users: users,
		Channel: "incident-x", WriteSpacing: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func jiraAuth() *gojira.BasicAuthTransport {
	return &gojira.BasicAuthTransport{Username: "bot@acme.example", Password: "tok"}
}

func item(key, assignee string) timeline.ActionItem {
	return timeline.ActionItem{Key: key, Summary: "fix " + key, Assignee: assignee}
}

// TestDefaultTrackers: without a world, Jira has OPS, INC and SRE with Task
// and Bug, and GitHub acme/incidents, acme/postmortems and octo/ops with
// push access (DESIGN "The emulator").
func TestDefaultTrackers(t *testing.T) {
	url := serve(t, emustack.Options{})
	ctx := context.Background()
	for _, p := range []string{"OPS", "INC", "SRE"} {
		if _, err := jiraTracker(t, url, p, nil).File(ctx, item("k"+strings.ToLower(p), "")); err != nil {
			t.Errorf("jira %s: %v", p, err)
		}
	}
	if _, err := jiraTracker(t, url, "TEAM", nil).File(ctx, item("kteam", "")); err == nil {
		t.Error("jira TEAM: filed; want no such project")
	}
	for _, r := range []string{"acme/incidents", "acme/postmortems", "octo/ops"} {
		// The tracker checks that the issue kept its labels: push access.
		if _, err := githubTracker(t, url, r, nil).File(ctx, item("k1", "")); err != nil {
			t.Errorf("github %s: %v", r, err)
		}
	}
	if _, err := githubTracker(t, url, "team/own", nil).File(ctx, item("k1", "")); err == nil {
		t.Error("github team/own: filed; want no such repo")
	}
}

// TestWorldJiraProjects: jira.projects replace the defaults, each with its
// issue types, required fields and whether labels are on the create
// screen. Jira answers 400 naming the field for each (Atlassian, "Create
// issue": the create screen's fields; recorded in
// ../shared/conformance/trackers).
func TestWorldJiraProjects(t *testing.T) {
	w, err := emustack.ParseWorld("w.yaml", []byte(`
jira:
  projects:
    - {key: TEAM, issue_types: [Task]}
    - {key: SEC, issue_types: [Story], required_fields: [components]}
    - {key: NOLBL, issue_types: [Task], labels_on_screen: false}
`))
	if err != nil {
		t.Fatal(err)
	}
	url := serve(t, emustack.Options{World: w})
	ctx := context.Background()
	if _, err := jiraTracker(t, url, "TEAM", nil).File(ctx, item("k1", "")); err != nil {
		t.Errorf("TEAM: %v", err)
	}
	if _, err := jiraTracker(t, url, "OPS", nil).File(ctx, item("k2", "")); err == nil {
		t.Error("OPS: filed; want the world's projects to replace the defaults")
	}
	client, err := gojira.NewClient(jiraAuth().Client(), url+"/")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ project, issueType, field string }{
		{"SEC", "Task", "issuetype"},
		{"SEC", "Story", "components"},
		{"NOLBL", "Task", "labels"},
	} {
		is := &gojira.Issue{Fields: &gojira.IssueFields{Project: gojira.Project{Key: tc.project},
			Type: gojira.IssueType{Name: tc.issueType}, Summary: "s", Labels: []string{"wrapup-k"}}}
		_, resp, err := client.Issue.CreateWithContext(ctx, is)
		if err == nil {
			t.Errorf("%s %s: created; want a 400 naming %s", tc.project, tc.issueType, tc.field)
			continue
		}
		jerr := gojira.NewJiraError(resp, err).(*gojira.Error)
		if resp.StatusCode != 400 || jerr.Errors[tc.field] == "" {
			t.Errorf("%s %s: HTTP %d, errors %v; want a 400 naming %s", tc.project, tc.issueType, resp.StatusCode, jerr.Errors, tc.field)
		}
	}
}

// TestWorldJiraUsers: jira.users replace the seed's people; an e-mail not
// visible is left out of user search (Atlassian, "Profile visibility":
// emailAddress is omitted unless the user allows it), and a user can be
// assigned only in the projects of assignable (a 400 with errors.assignee
// elsewhere), which wrapup turns into an unassigned issue.
func TestWorldJiraUsers(t *testing.T) {
	w, err := emustack.ParseWorld("w.yaml", []byte(`
jira:
  projects:
    - {key: OPS, issue_types: [Task]}
    - {key: INC, issue_types: [Task]}
  users:
    - {account_id: "557058:alice", name: alice, email: alice@acme.example, display_name: Alice,
       email_visible: false, assignable: [OPS]}
    - {account_id: "557058:bob", name: bob, email: bob@acme.example, display_name: Bob}
`))
	if err != nil {
		t.Fatal(err)
	}
	url := serve(t, emustack.Options{World: w})
	ctx := context.Background()
	client, err := gojira.NewClient(jiraAuth().Client(), url+"/")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ query, email string }{{"alice", ""}, {"bob", "bob@acme.example"}} {
		us, _, err := client.User.FindWithContext(ctx, tc.query)
		if err != nil || len(us) != 1 || us[0].EmailAddress != tc.email {
			t.Errorf("user search %q: %+v, %v; want one user showing e-mail %q", tc.query, us, err, tc.email)
		}
	}
	users := map[string]string{"alice": "557058:alice", "bob": "557058:bob"}
	for _, tc := range []struct{ project, who, unassigned string }{
		{"OPS", "alice", ""},
		{"INC", "alice", "@alice could not be assigned in INC"},
		{"INC", "bob", ""}, // assignable left out: every project
	} {
		f, err := jiraTracker(t, url, tc.project, users).FileReport(ctx, item("k"+tc.project+tc.who, tc.who))
		if err != nil || !strings.HasPrefix(f.Unassigned, tc.unassigned) || (tc.unassigned == "") != (f.Unassigned == "") {
			t.Errorf("%s @%s: %+v, %v; want unassigned %q", tc.project, tc.who, f, err, tc.unassigned)
		}
	}
}

// TestWorldSearchLag: jira.search_lag keeps a new issue out of searches
// that long, as Cloud's /search/jql does (Atlassian, "The Jira Cloud
// search API is eventually consistent", changelog CHANGE-2046).
func TestWorldSearchLag(t *testing.T) {
	w, err := emustack.ParseWorld("w.yaml", []byte("jira:\n  search_lag: 20s\n"))
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	now := time.Date(2026, 3, 26, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	url := serve(t, emustack.Options{World: w, Now: clock})
	ctx := context.Background()
	tr := jiraTracker(t, url, "OPS", nil)
	tk, err := tr.File(ctx, item("lag1", ""))
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		after time.Duration
		found bool
	}{{0, false}, {19 * time.Second, false}, {time.Second, true}} {
		mu.Lock()
		now = now.Add(step.after)
		mu.Unlock()
		got, err := tr.Lookup(ctx, []string{"lag1"})
		if err != nil || (got["lag1"] == tk) != step.found {
			t.Errorf("after +%v: %v, %v; want found %v", step.after, got, err, step.found)
		}
	}
}

// TestWorldGitHubRepos: github.repos replace the defaults; push false
// drops a new issue's labels and assignees (GitHub, "Create an issue":
// "Only users with push access can set labels ... Otherwise, labels are
// silently dropped"), which wrapup halts on; assignable names the logins
// that can be assigned (others a 422, field assignees), left out anyone;
// labels are the repo's labels.
func TestWorldGitHubRepos(t *testing.T) {
	w, err := emustack.ParseWorld("w.yaml", []byte(`
github:
  repos:
    - {name: team/ops, assignable: [alice-gh], labels: [sev1]}
    - {name: team/open}
    - {name: team/readonly, push: false}
`))
	if err != nil {
		t.Fatal(err)
	}
	url := serve(t, emustack.Options{World: w})
	ctx := context.Background()
	users := map[string]string{"alice": "alice-gh", "bob": "bob-gh"}
	for _, tc := range []struct{ repo, who, unassigned string }{
		{"team/ops", "alice", ""},
		{"team/ops", "bob", "@bob (GitHub bob-gh) could not be assigned in team/ops"},
		{"team/open", "bob", ""},
	} {
		f, err := githubTracker(t, url, tc.repo, users).FileReport(ctx, item("k"+tc.who, tc.who))
		if err != nil || f.Unassigned != tc.unassigned {
			t.Errorf("%s @%s: %+v, %v; want unassigned %q", tc.repo, tc.who, f, err, tc.unassigned)
		}
	}
	if _, err := githubTracker(t, url, "acme/incidents", nil).File(ctx, item("k1", "")); err == nil {
		t.Error("acme/incidents: filed; want the world's repos to replace the defaults")
	}
	if _, err := githubTracker(t, url, "team/readonly", nil).File(ctx, item("k1", "")); !trackers.IsHalt(err) {
		t.Errorf("team/readonly: %v; want filing halted for want of push access", err)
	}
	client, err := gh.NewClient(nil).WithAuthToken("ghp_test").WithEnterpriseURLs(url+"/api/v3/", url+"/api/uploads/")
	if err != nil {
		t.Fatal(err)
	}
	labels, _, err := client.Issues.ListLabels(ctx, "team", "ops", nil)
	found := false
	for _, l := range labels {
		found = found || l.GetName() == "sev1"
	}
	if err != nil || !found {
		t.Errorf("team/ops labels %v, %v; want sev1 among them", labels, err)
	}
}
