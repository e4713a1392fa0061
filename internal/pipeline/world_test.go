package pipeline

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wrapup/wrapup/archive/slacktest"
	"github.com/wrapup/wrapup/internal/config"
	"github.com/wrapup/wrapup/internal/demo"
	"github.com/wrapup/wrapup/internal/emustack"
	"github.com/wrapup/wrapup/internal/wire"
)

// newWorldEnv is newEnv on the emulators set up by a world file's text.
func newWorldEnv(t *testing.T, world string, edit func(*emustack.Options)) *env {
	t.Helper()
	w, err := emustack.ParseWorld("world.yaml", []byte(world))
	if err != nil {
		t.Fatal(err)
	}
	opts := emustack.Options{WorkspaceURL: "https://demo.slack.com/", World: w,
		Slack: func(o *slacktest.Options) { o.Tokens = map[string]slacktest.Token{"xoxb-test": {}} }}
	if edit != nil {
		edit(&opts)
	}
	stack := emustack.New(opts)
	a, err := demo.Archive(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := stack.Seed(a); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(stack)
	t.Cleanup(srv.Close)
	cfg := config.Default()
	cfg.Tracker.Kind = "jira"
	cfg.Tracker.Jira.URL = srv.URL
	return &env{stack: stack, url: srv.URL, cfg: cfg, out: filepath.Join(t.TempDir(), "postmortems"), locks: t.TempDir()}
}

// The demo's owners are dave and carol; on this Jira Cloud site neither
// shows an e-mail, and carol cannot be assigned in OPS.
const hiddenOwnersWorld = `
jira:
  projects:
    - {key: OPS, issue_types: [Task, Bug]}
  users:
    - {account_id: "557058:dave", email: dave@example.com, display_name: Dave, email_visible: false, assignable: [OPS]}
    - {account_id: "557058:carol", email: carol@example.com, display_name: Carol, email_visible: false, assignable: []}
`

// TestRunUnassigned: tracker.jira.users assigns where Cloud hides the
// e-mail; an owner Jira refuses (a 400 with errors.assignee, Atlassian
// "Create issue") gets the item filed unassigned, and the run's notes, its
// tickets and the postmortem's owner column say so; the channel is closed.
func TestRunUnassigned(t *testing.T) {
	e := newWorldEnv(t, hiddenOwnersWorld, nil)
	e.cfg.Tracker.Jira.Users = map[string]string{"dave": "557058:dave", "carol": "557058:carol"}
	res, err := e.run(t, nil)
	if err != nil || !res.Archived {
		t.Fatalf("run: %v (archived %v, notes %v)", err, res.Archived, res.Notes)
	}
	assigned := map[string]int{}
	for _, is := range e.stack.Jira.Issues() {
		assigned[is.Assignee]++
	}
	if assigned["557058:dave"] == 0 || assigned["557058:carol"] != 0 {
		t.Errorf("assignees %v; want dave's items assigned to his accountId, none to carol", assigned)
	}
	var carol *Ticket
	for i, tk := range res.Tickets {
		if tk.Unassigned != "" {
			if carol != nil || !strings.HasPrefix(tk.Unassigned, "@carol could not be assigned in OPS") {
				t.Errorf("ticket %+v: unassigned %q", tk, tk.Unassigned)
			}
			carol = &res.Tickets[i]
		}
	}
	if carol == nil {
		t.Fatalf("no ticket says carol could not be assigned: %+v", res.Tickets)
	}
	note := carol.ID + ": @carol could not be assigned in OPS"
	if !strings.Contains(strings.Join(res.Notes, "\n"), note) || !strings.Contains(strings.Join(res.Notes, "\n"), "; filed unassigned") {
		t.Errorf("notes %q; want one starting %q and saying it was filed unassigned", res.Notes, note)
	}
	md, err := os.ReadFile(filepath.Join(res.Dir, "postmortem.md"))
	if err != nil || !strings.Contains(string(md), "@carol, not assignable in OPS") {
		t.Errorf("the postmortem's owner column does not say carol is not assignable (%v)", err)
	}
	tl, err := os.ReadFile(filepath.Join(res.Dir, "timeline.json"))
	if err != nil || !strings.Contains(string(tl), `"unassigned": "not assignable in OPS"`) {
		t.Errorf("timeline.json does not carry the owner note (%v)", err)
	}
}

// TestOwnerNoteWithoutFolder: a rerun without the output folder (CI)
// finds the owner note in the wrap-up message's metadata and writes the
// same owner column, so a published postmortem does not change on every
// rerun.
func TestOwnerNoteWithoutFolder(t *testing.T) {
	e := newWorldEnv(t, hiddenOwnersWorld, nil)
	e.cfg.Tracker.Jira.Users = map[string]string{"dave": "557058:dave", "carol": "557058:carol"}
	var docs []string
	for n := range 2 {
		if err := os.RemoveAll(e.out); err != nil {
			t.Fatal(err)
		}
		res, err := e.run(t, func(o *Options) { o.NoClose = true })
		if err != nil {
			t.Fatalf("run %d: %v (notes %v)", n+1, err, res.Notes)
		}
		md, err := os.ReadFile(filepath.Join(res.Dir, "postmortem.md"))
		if err != nil || !strings.Contains(string(md), "@carol, not assignable in OPS") {
			t.Errorf("run %d: the owner column does not say carol is not assignable (%v)", n+1, err)
		}
		docs = append(docs, string(md))
	}
	if docs[0] != docs[1] {
		t.Error("the rerun without the output folder wrote another postmortem.md")
	}
}

// TestRunHalted: a token without push access makes GitHub drop labels
// silently (GitHub, "Create an issue": "Only users with push access can
// set labels"); the run stops filing at once, fails naming the cause and
// the fix, and keeps the channel open.
func TestRunHalted(t *testing.T) {
	e := newWorldEnv(t, "github:\n  repos:\n    - {name: acme/incidents, push: false}\n", nil)
	e.cfg.Tracker.Kind = "github"
	e.cfg.Tracker.GitHub.Repo, e.cfg.Tracker.GitHub.APIURL = "acme/incidents", e.url
	res, err := e.run(t, func(o *Options) {
		o.Tracker = wire.Tracker(e.cfg, func(k string) string { return map[string]string{"GITHUB_TOKEN": "ghp_test"}[k] }, "", 1)
	})
	if err == nil || res.Archived {
		t.Fatalf("the run succeeded: %+v", res)
	}
	if !strings.Contains(err.Error(), "push access") || !strings.Contains(err.Error(), "write access") {
		t.Errorf("err = %v; want the cause (push access) and the fix (write access)", err)
	}
	if n := len(e.stack.GitHub.Issues("acme/incidents")); n > 1 {
		t.Errorf("%d issues filed; want filing stopped at the first", n)
	}
	if _, _, archived := e.state(t); archived {
		t.Error("the channel was archived")
	}
}
