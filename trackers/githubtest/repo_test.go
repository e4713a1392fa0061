package githubtest_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	gh "github.com/google/go-github/v60/github"
	"github.com/wrapup/wrapup/trackers/githubtest"
)

func TestRepoGet(t *testing.T) {
	tests := []struct {
		name, token    string
		issuesDisabled bool
		wantPerms      map[string]bool
		wantIssues     bool
	}{
		{"write token", "writer", false,
			map[string]bool{"admin": true, "maintain": true, "push": true, "triage": true, "pull": true}, true},
		{"read-only token", "reader", false,
			map[string]bool{"admin": false, "maintain": false, "push": false, "triage": false, "pull": true}, true},
		{"issues disabled", "writer", true,
			map[string]bool{"admin": true, "maintain": true, "push": true, "triage": true, "pull": true}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, base := githubtest.NewTestServer(t, githubtest.Options{Token: "writer", ReadOnlyToken: "reader",
				IssuesDisabled: tt.issuesDisabled, Repos: []string{"octo/ops"}})
			client, err := gh.NewClient(nil).WithAuthToken(tt.token).WithEnterpriseURLs(base, base)
			if err != nil {
				t.Fatal(err)
			}
			repo, _, err := client.Repositories.Get(context.Background(), "octo", "ops")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.wantPerms, repo.GetPermissions()); diff != "" {
				t.Errorf("permissions (-want +got):\n%s", diff)
			}
			if repo.GetHasIssues() != tt.wantIssues || repo.GetFullName() != "octo/ops" || repo.GetID() == 0 {
				t.Errorf("has_issues %v full_name %q id %d; want %v octo/ops and an id", repo.GetHasIssues(), repo.GetFullName(), repo.GetID(), tt.wantIssues)
			}
		})
	}

	t.Run("unknown repo", func(t *testing.T) {
		_, base := githubtest.NewTestServer(t, githubtest.Options{})
		client, _ := gh.NewClient(nil).WithAuthToken("t").WithEnterpriseURLs(base, base)
		_, resp, err := client.Repositories.Get(context.Background(), "octo", "nope")
		var ghErr *gh.ErrorResponse
		if !errors.As(err, &ghErr) || resp.StatusCode != http.StatusNotFound || ghErr.Message != "Not Found" {
			t.Errorf("err %v; want a 404 Not Found", err)
		}
	})
	t.Run("bad token", func(t *testing.T) {
		_, base := githubtest.NewTestServer(t, githubtest.Options{Token: "writer"})
		client, _ := gh.NewClient(nil).WithAuthToken("wrong").WithEnterpriseURLs(base, base)
		_, resp, err := client.Repositories.Get(context.Background(), "octo", "ops")
		if err == nil || resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("err %v; want a 401", err)
		}
	})
}

// TestRepoConformance checks the repository's shape against a recorded
// one: every key the emulator sends is one GitHub sends, and the
// permissions object has GitHub's five keys.
func TestRepoConformance(t *testing.T) {
	rec := find(t, loadRaw(t, "labels"), "post", "/orgs/octokit-fixture-org/repos", 201)
	srv, base := githubtest.NewTestServer(t, githubtest.Options{})
	resp, got := call(t, srv, base, "GET", "/repos/octo/ops", "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	recKeys := keys(rec.Response)
	for _, k := range keys(got) {
		if !slices.Contains(recKeys, k) {
			t.Errorf("key %q is not in the recorded repository", k)
		}
	}
	recPerms := rec.Response.(map[string]any)["permissions"]
	if diff := cmp.Diff(keys(recPerms), keys(got.(map[string]any)["permissions"])); diff != "" {
		t.Errorf("permissions keys (-recorded +emulated):\n%s", diff)
	}
	for _, k := range []string{"has_issues", "private", "archived"} {
		if _, ok := got.(map[string]any)[k].(bool); !ok {
			t.Errorf("%s is %T; want a bool", k, got.(map[string]any)[k])
		}
	}
}
