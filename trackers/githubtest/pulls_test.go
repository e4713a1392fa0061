package githubtest_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"crypto/sha256"
	"encoding/hex"

	gh "github.com/google/go-github/v60/github"
	"github.com/wrapup/wrapup/trackers/githubtest"
)

func gitClient(t *testing.T) (*githubtest.Server, *gh.Client) {
	t.Helper()
	srv, base := githubtest.NewTestServer(t, githubtest.Options{RepoSetup: []githubtest.Repo{
		{Name: "acme/postmortems", Push: true, Assignable: []string{"alice-gh", "bob-gh"}}}})
	c, err := gh.NewClient(nil).WithAuthToken("t").WithEnterpriseURLs(base, base)
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func status(err error) int {
	var e *gh.ErrorResponse
	if errors.As(err, &e) {
		return e.Response.StatusCode
	}
	return 0
}

// commitOn commits files on top of parent through the Git data API and
// returns the commit's sha.
func commitOn(t *testing.T, c *gh.Client, parent string, files map[string]string) string {
	t.Helper()
	ctx := context.Background()
	pc, _, err := c.Git.GetCommit(ctx, "acme", "postmortems", parent)
	if err != nil {
		t.Fatal(err)
	}
	var entries []*gh.TreeEntry
	for p, content := range files {
		b, _, err := c.Git.CreateBlob(ctx, "acme", "postmortems", &gh.Blob{Content: gh.String(content), Encoding: gh.String("utf-8")})
		if err != nil {
			t.Fatal(err)
		}
		if want := githubtest.GitBlobSHA([]byte(content)); b.GetSHA() != want {
			t.Fatalf("blob sha %s, want git's %s", b.GetSHA(), want)
		}
		entries = append(entries, &gh.TreeEntry{Path: gh.String(p), Mode: gh.String("100644"), Type: gh.String("blob"), SHA: b.SHA})
	}
	tree, _, err := c.Git.CreateTree(ctx, "acme", "postmortems", pc.GetTree().GetSHA(), entries)
	if err != nil {
		t.Fatal(err)
	}
	cm, _, err := c.Git.CreateCommit(ctx, "acme", "postmortems", &gh.Commit{Message: gh.String("m"), Tree: tree, Parents: []*gh.Commit{{SHA: gh.String(parent)}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return cm.GetSHA()
}

// TestGitAndPulls walks the Git data API and pull requests as a client
// publishing a document does, and checks GitHub's refusals.
func TestGitAndPulls(t *testing.T) {
	srv, c := gitClient(t)
	ctx := context.Background()
	// An unknown branch is a 404 from "Get a reference".
	if _, _, err := c.Git.GetRef(ctx, "acme", "postmortems", "heads/nope"); status(err) != http.StatusNotFound {
		t.Fatalf("GetRef of an unknown branch: %v, want 404", err)
	}
	main, _, err := c.Git.GetRef(ctx, "acme", "postmortems", "heads/main")
	if err != nil {
		t.Fatal(err)
	}
	first := commitOn(t, c, main.GetObject().GetSHA(), map[string]string{"postmortems/x/postmortem.md": "# hi\n"})
	branch := "wrapup/2026-01-02-incident-x"
	if _, _, err := c.Git.CreateRef(ctx, "acme", "postmortems", &gh.Reference{Ref: gh.String("refs/heads/" + branch), Object: &gh.GitObject{SHA: gh.String(first)}}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Git.CreateRef(ctx, "acme", "postmortems", &gh.Reference{Ref: gh.String("refs/heads/" + branch), Object: &gh.GitObject{SHA: gh.String(first)}}); status(err) != http.StatusUnprocessableEntity {
		t.Fatalf("second CreateRef: %v, want 422 Reference already exists", err)
	}
	ref, _, err := c.Git.GetRef(ctx, "acme", "postmortems", "heads/"+branch)
	if err != nil || ref.GetObject().GetSHA() != first {
		t.Fatalf("GetRef of the branch: %v %v", ref, err)
	}
	// A base that does not exist: 422 field base invalid
	// (dailymotion-oss/octopilot#134).
	_, _, err = c.PullRequests.Create(ctx, "acme", "postmortems", &gh.NewPullRequest{Title: gh.String("t"), Head: gh.String(branch), Base: gh.String("nope")})
	if status(err) != http.StatusUnprocessableEntity || !strings.Contains(err.Error(), "Field:base Code:invalid") {
		t.Fatalf("PR against an unknown base: %v", err)
	}
	pr, _, err := c.PullRequests.Create(ctx, "acme", "postmortems", &gh.NewPullRequest{Title: gh.String("Postmortem"), Head: gh.String("acme:" + branch), Base: gh.String("main"), Body: gh.String("body")})
	if err != nil {
		t.Fatal(err)
	}
	// A second PR for the same head: 422 "A pull request already exists".
	_, _, err = c.PullRequests.Create(ctx, "acme", "postmortems", &gh.NewPullRequest{Title: gh.String("again"), Head: gh.String(branch), Base: gh.String("main")})
	if status(err) != http.StatusUnprocessableEntity || !strings.Contains(err.Error(), "A pull request already exists for acme:"+branch) {
		t.Fatalf("second PR: %v", err)
	}
	if _, _, err := c.PullRequests.RequestReviewers(ctx, "acme", "postmortems", pr.GetNumber(), gh.ReviewersRequest{Reviewers: []string{"carol"}}); status(err) != http.StatusUnprocessableEntity {
		t.Fatalf("non-collaborator reviewer: %v, want 422", err)
	}
	if _, _, err := c.PullRequests.RequestReviewers(ctx, "acme", "postmortems", pr.GetNumber(), gh.ReviewersRequest{Reviewers: []string{"alice-gh"}}); err != nil {
		t.Fatal(err)
	}
	list, _, err := c.PullRequests.List(ctx, "acme", "postmortems", &gh.PullRequestListOptions{State: "all", Head: "acme:" + branch})
	if err != nil || len(list) != 1 || list[0].GetNumber() != pr.GetNumber() || len(list[0].RequestedReviewers) != 1 {
		t.Fatalf("list by head: %v %v", list, err)
	}
	// A fast-forward moves the branch; anything else is 422 "Update is not
	// a fast forward" (webspace-sdk/webspace-engine#104), unless forced.
	second := commitOn(t, c, first, map[string]string{"postmortems/x/postmortem.md": "# hi again\n"})
	if _, _, err := c.Git.UpdateRef(ctx, "acme", "postmortems", &gh.Reference{Ref: gh.String("heads/" + branch), Object: &gh.GitObject{SHA: gh.String(second)}}, false); err != nil {
		t.Fatal(err)
	}
	stale := commitOn(t, c, first, map[string]string{"postmortems/x/postmortem.md": "# stale\n"})
	_, _, err = c.Git.UpdateRef(ctx, "acme", "postmortems", &gh.Reference{Ref: gh.String("heads/" + branch), Object: &gh.GitObject{SHA: gh.String(stale)}}, false)
	if status(err) != http.StatusUnprocessableEntity || !strings.Contains(err.Error(), "Update is not a fast forward") {
		t.Fatalf("non-fast-forward update: %v", err)
	}
	pulls := srv.Pulls("acme/postmortems")
	if len(pulls) != 1 || pulls[0].State != "open" || pulls[0].Commits != 2 || len(pulls[0].Files) != 1 {
		t.Fatalf("state: %+v", pulls)
	}
	if got, want := pulls[0].Files["postmortems/x/postmortem.md"], sha256Hex("# hi again\n"); got != want {
		t.Fatalf("state file sha256 %s, want %s", got, want)
	}
	if err := srv.MergePull("acme/postmortems", pr.GetNumber()); err != nil {
		t.Fatal(err)
	}
	got, _, err := c.PullRequests.Get(ctx, "acme", "postmortems", pr.GetNumber())
	if err != nil || !got.GetMerged() || got.GetState() != "closed" {
		t.Fatalf("after merge: %v %v", got, err)
	}
	if _, files := srv.Branch("acme/postmortems", "main"); string(files["postmortems/x/postmortem.md"]) != "# hi again\n" {
		t.Fatalf("main after merge: %q", files)
	}
	// A PR for a head with nothing new is refused, as GitHub does.
	_, _, err = c.PullRequests.Create(ctx, "acme", "postmortems", &gh.NewPullRequest{Title: gh.String("t"), Head: gh.String(branch), Base: gh.String("main")})
	if status(err) != http.StatusUnprocessableEntity || !strings.Contains(err.Error(), "No commits between") {
		t.Fatalf("PR with no commits: %v", err)
	}
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
