package githubtest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/wrapup/wrapup/internal/emulator"
	"github.com/wrapup/wrapup/trackers/githubtest"
)

func setupServer(t *testing.T) (*githubtest.Server, string) {
	t.Helper()
	return githubtest.NewTestServer(t, githubtest.Options{
		Repos: []string{"octo/ops"},
		RepoSetup: []githubtest.Repo{
			{Name: "acme/incidents", Push: true, Assignable: []string{"alice-gh"}},
			{Name: "acme/readonly", Push: false, Labels: []string{"incident:x"}},
		},
	})
}

// TestAssigneeRestriction: a login that cannot be assigned is a 422 with
// {"value": login, "resource": "Issue", "field": "assignees", "code":
// "invalid"} (JasonEtco/create-an-issue #41 shows the body;
// trstringer/manual-approval #71 and #127 the same through go-github).
func TestAssigneeRestriction(t *testing.T) {
	srv, base := setupServer(t)
	resp, got := call(t, srv, base, "POST", "/repos/acme/incidents/issues", `{"title":"t","assignees":["mallory"]}`)
	if resp.StatusCode != 422 {
		t.Fatalf("status %d: %v", resp.StatusCode, got)
	}
	want := []any{map[string]any{"value": "mallory", "resource": "Issue", "field": "assignees", "code": "invalid"}}
	if diff := cmp.Diff(want, got.(map[string]any)["errors"]); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	if n := len(srv.Issues("acme/incidents")); n != 0 {
		t.Errorf("%d issues made by a refused create", n)
	}
	if _, got := call(t, srv, base, "POST", "/repos/acme/incidents/issues", `{"title":"t","assignee":"mallory"}`); !strings.Contains(fmt.Sprint(got), "field:assignee ") {
		t.Errorf("the single assignee field: %v", got)
	}
	for _, body := range []string{`{"title":"t","assignees":["Alice-GH"]}`, `{"title":"t","assignee":"alice-gh"}`} {
		if resp, got := call(t, srv, base, "POST", "/repos/acme/incidents/issues", body); resp.StatusCode != 201 {
			t.Errorf("%s: %d %v", body, resp.StatusCode, got)
		}
	}
	// Repos without a list of assignable logins keep today's default.
	if resp, got := call(t, srv, base, "POST", "/repos/octo/ops/issues", `{"title":"t","assignees":["anyone"]}`); resp.StatusCode != 201 {
		t.Errorf("octo/ops: %d %v", resp.StatusCode, got)
	}
}

// TestNoPushDropsLabelsAndAssignees: GitHub's "Create an issue" docs:
// "Only users with push access can set labels for new issues. Labels are
// silently dropped otherwise." (quoted in tan-tan-kanarek/github-php-client
// #115; assignees likewise, upptime/upptime #125). A label that does not
// exist yet is a 403 instead (community discussion #197408), and so is
// creating one.
func TestNoPushDropsLabelsAndAssignees(t *testing.T) {
	srv, base := setupServer(t)
	resp, got := call(t, srv, base, "POST", "/repos/acme/readonly/issues", `{"title":"t","body":"b","labels":["incident:x"],"assignees":["alice-gh"]}`)
	if resp.StatusCode != 201 {
		t.Fatalf("status %d: %v", resp.StatusCode, got)
	}
	is := srv.Issues("acme/readonly")[0]
	if len(is.Labels) != 0 || len(is.Assignees) != 0 {
		t.Errorf("labels %v, assignees %v; want both dropped", is.Labels, is.Assignees)
	}
	if v := got.(map[string]any); len(v["labels"].([]any)) != 0 || len(v["assignees"].([]any)) != 0 {
		t.Errorf("the answer shows labels %v, assignees %v", v["labels"], v["assignees"])
	}
	if resp, _ := call(t, srv, base, "POST", "/repos/acme/readonly/issues", `{"title":"t","labels":["brand-new"]}`); resp.StatusCode != 403 {
		t.Errorf("a new label without push: %d, want 403", resp.StatusCode)
	}
	if resp, _ := call(t, srv, base, "POST", "/repos/acme/readonly/labels", `{"name":"brand-new"}`); resp.StatusCode != 403 {
		t.Errorf("create label without push: %d, want 403", resp.StatusCode)
	}
	_, repo := call(t, srv, base, "GET", "/repos/acme/readonly", "")
	if perms := repo.(map[string]any)["permissions"].(map[string]any); perms["push"] != false {
		t.Errorf("permissions %v; want push false", perms)
	}
}

// TestSecondaryLimitShapes: "If you exceed a secondary rate limit, you
// will receive a 403 or 429 response and an error message that indicates
// that you exceeded a secondary rate limit. If the retry-after response
// header is present, you should not retry your request until after that
// many seconds has elapsed. [...] Otherwise, wait for at least one minute"
// (GitHub docs, "Rate limits for the REST API", Exceeding the rate
// limit). Each shape comes from the write spacing, and from the fault list.
func TestSecondaryLimitShapes(t *testing.T) {
	now := time.Unix(1774533700, 0)
	for _, c := range []struct {
		status     int
		retryAfter bool
	}{{403, true}, {403, false}, {429, true}, {429, false}} {
		srv, base := githubtest.NewTestServer(t, githubtest.Options{WriteSpacing: time.Second, SecondaryStatus: c.status,
			SecondaryNoRetryAfter: !c.retryAfter, Now: func() time.Time { return now }})
		call(t, srv, base, "POST", "/repos/octo/ops/issues", `{"title":"a"}`)
		resp, got := call(t, srv, base, "POST", "/repos/octo/ops/issues", `{"title":"b"}`)
		if resp.StatusCode != c.status || (resp.Header.Get("Retry-After") != "") != c.retryAfter {
			t.Errorf("spacing %d/%v: got %d Retry-After %q", c.status, c.retryAfter, resp.StatusCode, resp.Header.Get("Retry-After"))
		}
		if msg, _ := got.(map[string]any)["message"].(string); !strings.Contains(msg, "secondary rate limit") {
			t.Errorf("spacing %d/%v: message %q", c.status, c.retryAfter, msg)
		}
		if resp.Header.Get("X-RateLimit-Remaining") == "0" {
			t.Errorf("a secondary limit leaves the primary quota alone")
		}
	}
	// The admin fault list drives the same shapes at any call.
	srv, base := githubtest.NewTestServer(t, githubtest.Options{})
	if err := srv.Admin().SetFaults([]emulator.Fault{{Service: "github", Method: "GET", Path: "/repos/octo/ops/issues", Times: 1, Status: 403,
		Error: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}}); err != nil {
		t.Fatal(err)
	}
	resp, got := call(t, srv, base, "GET", "/repos/octo/ops/issues", "")
	if msg, _ := got.(map[string]any)["message"].(string); resp.StatusCode != 403 || resp.Header.Get("Retry-After") != "" || !strings.Contains(msg, "secondary rate limit") {
		t.Errorf("fault: %d Retry-After %q %v", resp.StatusCode, resp.Header.Get("Retry-After"), got)
	}
}

// TestAppTokens: an App installation token (GITHUB_TOKEN in Actions) is
// told apart by GET /installation/repositories ("List repositories
// accessible to the app installation", which only installation tokens
// may call); GET /repos shows push false for it whatever it may do
// (flathub-infra/flatpak-external-data-checker #223); its writes follow
// the installation's permission for the endpoint: issues for issues and
// labels, contents for the Git data API (GitHub's "Permissions required
// for GitHub Apps"; the changelog of 2023-09-26, "Changes to token
// permission on packages": creating a ref needs contents: write),
// pull_requests for pulls.
func TestAppTokens(t *testing.T) {
	srv, base := githubtest.NewTestServer(t, githubtest.Options{Repos: []string{"octo/ops", "octo/other"}, AppTokens: map[string]githubtest.AppToken{
		"ghs_write": {Repos: []string{"octo/ops"}, IssuesWrite: true},
		"ghs_read":  {Repos: []string{"octo/ops"}},
		"ghs_docs":  {Repos: []string{"octo/ops"}, ContentsWrite: true, PullRequestsWrite: true},
	}})
	as := func(tok, method, path, body string) (int, any) {
		req, _ := http.NewRequest(method, base+"/api/v3"+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var v any
		json.NewDecoder(resp.Body).Decode(&v)
		return resp.StatusCode, v
	}
	code, v := as("ghs_write", "GET", "/installation/repositories", "")
	if code != 200 || v.(map[string]any)["total_count"] != 1.0 {
		t.Errorf("installation repositories: %d %v", code, v)
	}
	if code, _ := as("ghp_user", "GET", "/installation/repositories", ""); code != 403 {
		t.Errorf("a personal token listed installation repositories: %d", code)
	}
	if _, v := as("ghs_write", "GET", "/repos/octo/ops", ""); v.(map[string]any)["permissions"].(map[string]any)["push"] != false {
		t.Errorf("an App token's repo permissions show push: %v", v)
	}
	if code, _ := as("ghs_write", "GET", "/repos/octo/other", ""); code != 404 {
		t.Errorf("a repository outside the installation: %d", code)
	}
	if code, _ := as("ghs_write", "POST", "/repos/octo/ops/issues", `{"title":"t"}`); code != 201 {
		t.Errorf("issues: write could not create: %d", code)
	}
	if code, v := as("ghs_read", "POST", "/repos/octo/ops/issues", `{"title":"t"}`); code != 403 || !strings.Contains(v.(map[string]any)["message"].(string), "integration") {
		t.Errorf("issues: read created: %d %v", code, v)
	}
	if n := len(srv.Issues("octo/ops")); n != 1 {
		t.Errorf("%d issues", n)
	}
	// Each write answers to its own permission, checked before the body:
	// an empty ref or pull request is a 422 for a token that may write
	// and a 403 for one that may not, and makes nothing either way.
	for _, c := range []struct {
		tok, path, body string
		want            int
	}{
		{"ghs_write", "/repos/octo/ops/git/blobs", `{"content":"x","encoding":"utf-8"}`, 403},
		{"ghs_docs", "/repos/octo/ops/git/blobs", `{"content":"x","encoding":"utf-8"}`, 201},
		{"ghs_write", "/repos/octo/ops/git/refs", `{}`, 403},
		{"ghs_docs", "/repos/octo/ops/git/refs", `{}`, 422},
		{"ghs_write", "/repos/octo/ops/pulls", `{}`, 403},
		{"ghs_docs", "/repos/octo/ops/pulls", `{}`, 422},
		{"ghs_docs", "/repos/octo/ops/issues", `{"title":"t"}`, 403},
	} {
		if code, v := as(c.tok, "POST", c.path, c.body); code != c.want {
			t.Errorf("%s POST %s: %d %v, want %d", c.tok, c.path, code, v, c.want)
		}
	}
}

// TestLabelLength: labels are at most 50 characters. Creating an issue
// with a longer one is a 422 {"value": label, "resource": "Label",
// "field": "name", "code": "invalid"} (semantic-release/github #518);
// creating the label itself is a 422 with code custom and "name is too
// long (maximum is 50 characters)" (github/docs #32156).
func TestLabelLength(t *testing.T) {
	srv, base := githubtest.NewTestServer(t, githubtest.Options{})
	long := strings.Repeat("x", 51)
	resp, got := call(t, srv, base, "POST", "/repos/octo/ops/issues", `{"title":"t","labels":["`+long+`"]}`)
	want := []any{map[string]any{"value": long, "resource": "Label", "field": "name", "code": "invalid"}}
	if diff := cmp.Diff(want, got.(map[string]any)["errors"]); resp.StatusCode != 422 || diff != "" {
		t.Errorf("issue: %d (-want +got):\n%s", resp.StatusCode, diff)
	}
	resp, got = call(t, srv, base, "POST", "/repos/octo/ops/labels", `{"name":"`+long+`"}`)
	want = []any{map[string]any{"resource": "Label", "field": "name", "code": "custom", "message": "name is too long (maximum is 50 characters)"}}
	if diff := cmp.Diff(want, got.(map[string]any)["errors"]); resp.StatusCode != 422 || diff != "" {
		t.Errorf("label: %d (-want +got):\n%s", resp.StatusCode, diff)
	}
	if resp, _ := call(t, srv, base, "POST", "/repos/octo/ops/issues", `{"title":"t","labels":["`+long[:50]+`"]}`); resp.StatusCode != 201 {
		t.Errorf("50 characters: %d", resp.StatusCode)
	}
}

// TestCheckAssignee: GET /repos/{owner}/{repo}/assignees/{assignee}
// ("Check if a user can be assigned", GitHub REST docs) is 204 for a
// login that can be assigned, 404 otherwise.
func TestCheckAssignee(t *testing.T) {
	srv, base := setupServer(t)
	for path, want := range map[string]int{
		"/repos/acme/incidents/assignees/alice-gh": 204,
		"/repos/acme/incidents/assignees/mallory":  404,
		"/repos/octo/ops/assignees/anyone":         204,
	} {
		if resp, _ := call(t, srv, base, "GET", path, ""); resp.StatusCode != want {
			t.Errorf("%s: %d, want %d", path, resp.StatusCode, want)
		}
	}
}
