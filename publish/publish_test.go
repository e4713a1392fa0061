package publish_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	gh "github.com/google/go-github/v60/github"
	"github.com/wrapup/wrapup/internal/emulator"
	"github.com/wrapup/wrapup/publish"
	"github.com/wrapup/wrapup/trackers/githubtest"
)

const repo = "acme/postmortems"

func setup(t *testing.T) (*githubtest.Server, *publish.Publisher, string) {
	t.Helper()
	srv, base := githubtest.NewTestServer(t, githubtest.Options{RepoSetup: []githubtest.Repo{
		{Name: repo, Push: true, Assignable: []string{"alice-gh", "bob-gh"}}}})
	c, err := gh.NewClient(nil).WithAuthToken("t").WithEnterpriseURLs(base, base)
	if err != nil {
		t.Fatal(err)
	}
	p, err := publish.New(c, repo, "main", "postmortems", base+"/api/v3")
	if err != nil {
		t.Fatal(err)
	}
	return srv, p, base
}

func doc(md string) publish.Document {
	s := publish.Summary{Folder: "2026-03-04-incident-db", Title: "DB down @alice <script>", Severity: "SEV1",
		Tickets: []publish.Ticket{{ID: "OPS-1", URL: "https://jira.example/browse/OPS-1", Summary: "fix [it](javascript:x)"}},
		Channel: "incident-db", ChannelURL: "https://acme.slack.com/archives/C1"}
	return publish.Document{Folder: s.Folder, Title: publish.Title(s), Body: publish.Body(s), Reviewers: []string{"alice-gh"},
		Files: map[string][]byte{"postmortem.md": []byte(md), "timeline.json": []byte(`{"schema":"wrapup.timeline/v1"}`)}}
}

func sum(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func onePull(t *testing.T, srv *githubtest.Server) githubtest.StatePull {
	t.Helper()
	pulls := srv.Pulls(repo)
	if len(pulls) != 1 {
		t.Fatalf("%d pull requests, want 1: %+v", len(pulls), pulls)
	}
	if b := srv.Branches(repo); len(b) != 2 || b[1] != "wrapup/2026-03-04-incident-db" {
		t.Fatalf("branches %v, want main and the incident's", b)
	}
	return pulls[0]
}

// TestPublishLifecycle: a run opens one pull request with the documents;
// a rerun with the same bytes changes nothing; a change makes one new
// commit on the same pull request; a merged one is left alone.
func TestPublishLifecycle(t *testing.T) {
	srv, p, base := setup(t)
	ctx := context.Background()
	out, err := p.Publish(ctx, doc("# v1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if out.State != publish.StateOpened || out.Number == 0 || !strings.HasPrefix(out.URL, base+"/"+repo+"/pull/") || len(out.Reviewers) != 1 {
		t.Fatalf("first run: %+v", out)
	}
	pr := onePull(t, srv)
	want := map[string]string{"postmortems/2026-03-04-incident-db/postmortem.md": sum("# v1\n"),
		"postmortems/2026-03-04-incident-db/timeline.json": sum(`{"schema":"wrapup.timeline/v1"}`)}
	if pr.Head != "wrapup/2026-03-04-incident-db" || pr.Base != "main" || pr.State != "open" || pr.Commits != 1 ||
		len(pr.Files) != 2 || pr.Files["postmortems/2026-03-04-incident-db/postmortem.md"] != want["postmortems/2026-03-04-incident-db/postmortem.md"] ||
		pr.Files["postmortems/2026-03-04-incident-db/timeline.json"] != want["postmortems/2026-03-04-incident-db/timeline.json"] ||
		len(pr.Reviewers) != 1 || pr.Title != "Postmortem: DB down @alice <script>" {
		t.Fatalf("pull request %+v", pr)
	}
	// Untrusted text is text: no mention, no HTML, no link from Slack.
	if strings.Contains(pr.Body, "@alice") || strings.Contains(pr.Body, "<script>") || strings.Contains(pr.Body, "](javascript") {
		t.Fatalf("body not escaped:\n%s", pr.Body)
	}
	calls := srv.Admin().Stats().Calls
	out, err = p.Publish(ctx, doc("# v1\n"))
	if err != nil || out.State != publish.StateUnchanged || out.Number != pr.Number {
		t.Fatalf("rerun: %+v %v", out, err)
	}
	for k, n := range srv.Admin().Stats().Calls {
		if strings.HasPrefix(k, "github POST") || strings.HasPrefix(k, "github PATCH") {
			if n != calls[k] {
				t.Errorf("an unchanged rerun wrote: %s %d -> %d", k, calls[k], n)
			}
		}
	}
	out, err = p.Publish(ctx, doc("# v2\n"))
	if err != nil || out.State != publish.StateUpdated || out.Number != pr.Number {
		t.Fatalf("changed rerun: %+v %v", out, err)
	}
	pr = onePull(t, srv)
	if pr.Commits != 2 || pr.Files["postmortems/2026-03-04-incident-db/postmortem.md"] != sum("# v2\n") {
		t.Fatalf("after a change: %+v", pr)
	}
	if err := srv.MergePull(repo, pr.Number); err != nil {
		t.Fatal(err)
	}
	out, err = p.Publish(ctx, doc("# v3\n"))
	if err != nil || out.State != publish.StateMerged || !strings.Contains(out.Note, "merged") {
		t.Fatalf("after merge: %+v %v", out, err)
	}
	if pr = onePull(t, srv); pr.State != "merged" || pr.Commits != 2 {
		t.Fatalf("merged pull request touched: %+v", pr)
	}
	if got := p.DocURL("2026-03-04-incident-db", "postmortem.md"); got != base+"/"+repo+"/blob/main/postmortems/2026-03-04-incident-db/postmortem.md" {
		t.Fatalf("doc URL %s", got)
	}
}

// TestDocURL: github.com's form, and GHE's from its API URL.
func TestDocURL(t *testing.T) {
	for _, tt := range []struct{ api, want string }{
		{"", "https://github.com/acme/docs/blob/main/pm/f/postmortem.md"},
		{"https://ghe.example/api/v3/", "https://ghe.example/acme/docs/blob/main/pm/f/postmortem.md"},
	} {
		p, err := publish.New(gh.NewClient(nil), "acme/docs", "main", "pm", tt.api)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.DocURL("f", "postmortem.md"); got != tt.want {
			t.Errorf("%q: %s, want %s", tt.api, got, tt.want)
		}
	}
}

// TestHumanCommitNeverOverwritten: a person's commit on the branch stops
// wrapup from pushing there, whatever changed.
func TestHumanCommitNeverOverwritten(t *testing.T) {
	srv, p, _ := setup(t)
	ctx := context.Background()
	if _, err := p.Publish(ctx, doc("# v1\n")); err != nil {
		t.Fatal(err)
	}
	human, err := srv.PushCommit(repo, "wrapup/2026-03-04-incident-db", "Alice", map[string][]byte{
		"postmortems/2026-03-04-incident-db/postmortem.md": []byte("# edited by Alice\n")})
	if err != nil {
		t.Fatal(err)
	}
	out, err := p.Publish(ctx, doc("# v2\n"))
	if err != nil || out.State != publish.StateDiverged || !strings.Contains(out.Note, "never force-pushes") {
		t.Fatalf("after a human commit: %+v %v", out, err)
	}
	head, files := srv.Branch(repo, "wrapup/2026-03-04-incident-db")
	if head != human || string(files["postmortems/2026-03-04-incident-db/postmortem.md"]) != "# edited by Alice\n" {
		t.Fatalf("the human commit was overwritten: head %s", head)
	}
	onePull(t, srv)
}

// TestClosedLeftAlone: a pull request closed unmerged is reported, not
// reopened nor doubled.
func TestClosedLeftAlone(t *testing.T) {
	srv, p, _ := setup(t)
	ctx := context.Background()
	out, err := p.Publish(ctx, doc("# v1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.ClosePull(repo, out.Number); err != nil {
		t.Fatal(err)
	}
	out, err = p.Publish(ctx, doc("# v2\n"))
	if err != nil || out.State != publish.StateClosed {
		t.Fatalf("%+v %v", out, err)
	}
	if pr := onePull(t, srv); pr.State != "closed" || pr.Commits != 1 {
		t.Fatalf("%+v", pr)
	}
}

// TestUnknownBase: a base branch the repository lacks is an error naming
// the key.
func TestUnknownBase(t *testing.T) {
	_, base := githubtest.NewTestServer(t, githubtest.Options{Repos: []string{repo}})
	c, _ := gh.NewClient(nil).WithAuthToken("t").WithEnterpriseURLs(base, base)
	p, _ := publish.New(c, repo, "trunk", "postmortems", "")
	if _, err := p.Publish(context.Background(), doc("# v1\n")); err == nil || !strings.Contains(err.Error(), `publish.github.base: acme/postmortems has no branch "trunk"`) {
		t.Fatalf("err = %v", err)
	}
}

// TestCrashAtEveryStep: a run that fails at any write (before it takes
// effect, or after with its answer lost) and is run again leaves one pull
// request, one branch, and the documents on it.
func TestCrashAtEveryStep(t *testing.T) {
	steps := []struct{ method, path string }{
		{"GET", "/repos/acme/postmortems/pulls"},
		{"GET", "/repos/acme/postmortems/git/ref/*"},
		{"POST", "/repos/acme/postmortems/git/blobs"},
		{"POST", "/repos/acme/postmortems/git/trees"},
		{"POST", "/repos/acme/postmortems/git/commits"},
		{"POST", "/repos/acme/postmortems/git/refs"},
		{"PATCH", "/repos/acme/postmortems/git/refs/*"},
		{"POST", "/repos/acme/postmortems/pulls"},
		{"POST", "/repos/acme/postmortems/pulls/*"},
		{"PATCH", "/repos/acme/postmortems/pulls/*"},
	}
	for _, st := range steps {
		for _, lost := range []bool{false, true} {
			name := st.method + " " + st.path
			if lost {
				name += " answer lost"
			}
			t.Run(name, func(t *testing.T) {
				srv, p, _ := setup(t)
				ctx := context.Background()
				var first []githubtest.StatePull
				if st.method == "PATCH" {
					// Updates move the branch and edit the pull request:
					// publish a first version, and crash the update.
					if _, err := p.Publish(ctx, publish.Document{Folder: "2026-03-04-incident-db", Title: "t", Body: "b",
						Files: map[string][]byte{"postmortem.md": []byte("# v0\n")}}); err != nil {
						t.Fatal(err)
					}
					first = srv.Pulls(repo)
				}
				f := emulator.Fault{Service: "github", Method: st.method, Path: st.path, Times: 1, Status: 502}
				if lost {
					f = emulator.Fault{Service: "github", Method: st.method, Path: st.path, Times: 1, Truncate: true}
				}
				if err := srv.Admin().SetFaults([]emulator.Fault{f}); err != nil {
					t.Fatal(err)
				}
				d := doc("# v2\n")
				// Reviewers are a wish: a refused request is asked again
				// one login at a time, and the run goes on.
				if _, err := p.Publish(ctx, d); err == nil && st.path != "/repos/acme/postmortems/pulls/*" {
					t.Fatalf("the fault did not stop the run")
				}
				srv.Admin().SetFaults(nil)
				out, err := p.Publish(ctx, d)
				if err != nil {
					t.Fatalf("rerun: %v", err)
				}
				pr := onePull(t, srv)
				if pr.Files["postmortems/2026-03-04-incident-db/postmortem.md"] != sum("# v2\n") || out.Number != pr.Number || pr.Body != d.Body {
					t.Fatalf("after the rerun: %+v %+v", out, pr)
				}
				if len(pr.Reviewers) != 1 && first == nil {
					t.Fatalf("reviewers not asked: %+v", pr)
				}
				if first != nil && pr.Number != first[0].Number {
					t.Fatalf("a second pull request: %+v", pr)
				}
				// And once more: nothing to do.
				if out, err := p.Publish(ctx, d); err != nil || out.State != publish.StateUnchanged {
					t.Fatalf("third run: %+v %v", out, err)
				}
			})
		}
	}
}

// TestPublishConflict: "Update a reference" documents a 409 Conflict
// beside the 422 that a recorded non-fast-forward update shows; either
// refusal leaves the branch to whoever moved it, never an error that
// stops the run.
func TestPublishConflict(t *testing.T) {
	srv, p, _ := setup(t)
	ctx := context.Background()
	if _, err := p.Publish(ctx, doc("# v1\n")); err != nil {
		t.Fatal(err)
	}
	if err := srv.Admin().SetFaults([]emulator.Fault{{Service: "github", Method: "PATCH", Path: "/repos/acme/postmortems/git/refs/*",
		Times: 1, Status: 409}}); err != nil {
		t.Fatal(err)
	}
	out, err := p.Publish(ctx, doc("# v2\n"))
	if err != nil || out.State != publish.StateDiverged {
		t.Fatalf("a 409 on the branch update: %+v, %v; want the branch left alone", out, err)
	}
	if pr := onePull(t, srv); pr.Files["postmortems/2026-03-04-incident-db/postmortem.md"] != sum("# v1\n") {
		t.Errorf("the branch moved: %+v", pr)
	}
}
