package githubtest_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/wrapup/wrapup/trackers/githubtest"
)

// TestUpdateIssueState: issues are closed and reopened with PATCH
// /repos/{o}/{r}/issues/{n}, as GitHub's "Update an issue" documents:
// state open|closed, state_reason completed|not_planned|reopened and
// "ignored unless state is changed" (github/docs#22914). Closing sets
// closed_at and closed_by, and closes as completed when no reason is
// given; reopening makes the reason reopened and clears both. The answer
// is the whole issue, with the keys of a recorded one (octokit/fixtures
// add-labels-to-issue, raw, whose issue carries state_reason).
func TestUpdateIssueState(t *testing.T) {
	now := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	srv, base := githubtest.NewTestServer(t, githubtest.Options{Now: func() time.Time { return now }})
	for i := range 5 {
		call(t, srv, base, "POST", "/repos/octo/ops/issues", fmt.Sprintf(`{"title":"t%d","labels":["incident:x"]}`, i))
	}
	patch := func(n int, body string, want int) map[string]any {
		t.Helper()
		resp, v := call(t, srv, base, "PATCH", fmt.Sprintf("/repos/octo/ops/issues/%d", n), body)
		if resp.StatusCode != want {
			t.Fatalf("PATCH #%d %s: %d, want %d (%v)", n, body, resp.StatusCode, want, v)
		}
		m, _ := v.(map[string]any)
		return m
	}
	closed := func(v map[string]any) []any {
		var by any
		if v["closed_by"] != nil {
			by = v["closed_by"].(map[string]any)["login"]
		}
		return []any{v["state"], v["state_reason"], v["closed_at"], by}
	}

	now = now.Add(time.Hour)
	got := patch(1, `{"state":"closed"}`, 200)
	rec := find(t, loadRaw(t, "add-labels-to-issue"), "post", "/issues", 201)
	if diff := cmp.Diff(keys(rec.Response), keys(got)); diff != "" {
		t.Errorf("issue keys (-recorded +emulated):\n%s", diff)
	}
	if diff := cmp.Diff([]any{"closed", "completed", "2026-11-02T11:00:00Z", "wrapup-bot"}, closed(got)); diff != "" {
		t.Errorf("closed without a reason (-want +got):\n%s", diff)
	}
	if got := patch(2, `{"state":"closed","state_reason":"not_planned"}`, 200); got["state_reason"] != "not_planned" {
		t.Errorf("closed as not planned: %v", closed(got))
	}
	// state_reason alone changes nothing.
	if got := patch(3, `{"state_reason":"not_planned"}`, 200); got["state"] != "open" || got["state_reason"] != nil {
		t.Errorf("state_reason without state: %v", closed(got))
	}
	if got := patch(2, `{"state":"closed","state_reason":"completed"}`, 200); got["state_reason"] != "not_planned" {
		t.Errorf("state_reason with the state unchanged: %v", closed(got))
	}
	now = now.Add(time.Hour)
	if diff := cmp.Diff([]any{"open", "reopened", nil, nil}, closed(patch(1, `{"state":"open"}`, 200))); diff != "" {
		t.Errorf("reopened (-want +got):\n%s", diff)
	}
	// Refused: a state or reason GitHub does not have (422 Validation
	// Failed naming the field, the envelope of octokit/fixtures "errors").
	for _, body := range []string{`{"state":"done"}`, `{"state":"closed","state_reason":"wontfix"}`} {
		v := patch(4, body, 422)
		if v["message"] != "Validation Failed" {
			t.Errorf("%s: %v", body, v)
		}
	}
	patch(99, `{"state":"closed"}`, 404)
	// A person removes the incident label.
	if got := patch(5, `{"labels":["bug"]}`, 200); len(got["labels"].([]any)) != 1 {
		t.Errorf("labels replaced: %v", got["labels"])
	}

	// Listing by state and label.
	list := func(q string) []int {
		t.Helper()
		_, v := call(t, srv, base, "GET", "/repos/octo/ops/issues?"+q, "")
		var ns []int
		for _, is := range v.([]any) {
			ns = append(ns, int(is.(map[string]any)["number"].(float64)))
		}
		return ns
	}
	for q, want := range map[string][]int{
		"labels=incident:x":               {4, 3, 1},
		"state=open&labels=incident:x":    {4, 3, 1},
		"state=closed&labels=incident:x":  {2},
		"state=all&labels=incident:x":     {4, 3, 2, 1},
		"state=all&labels=INCIDENT:X":     {4, 3, 2, 1},
		"state=all&labels=incident:x,bug": nil,
		"state=all&labels=bug":            {5},
		"state=closed":                    {2},
		"state=all":                       {5, 4, 3, 2, 1},
	} {
		if got := list(q); !slices.Equal(got, want) {
			t.Errorf("list %s: %v; want %v", q, got, want)
		}
	}

	// A deleted issue is 410 Gone and listed nowhere.
	if !srv.DeleteIssue("octo/ops", 3) {
		t.Fatal("DeleteIssue found no #3")
	}
	if resp, v := call(t, srv, base, "GET", "/repos/octo/ops/issues/3", ""); resp.StatusCode != 410 {
		t.Errorf("GET a deleted issue: %d %v; want 410", resp.StatusCode, v)
	}
	if got := list("state=all"); !slices.Equal(got, []int{5, 4, 2, 1}) {
		t.Errorf("list after delete: %v", got)
	}
	patch(3, `{"state":"closed"}`, 410)

	// The admin state shows each issue's state.
	st := srv.State()["issues"].([]githubtest.StateIssue)
	var states []string
	for _, is := range st {
		states = append(states, fmt.Sprintf("#%d %s %s %s", is.Number, is.State, is.StateReason, is.ClosedAt))
	}
	want := []string{"#1 open reopened ", "#2 closed not_planned 2026-11-02T11:00:00Z", "#4 open  ", "#5 open  "}
	if diff := cmp.Diff(want, states); diff != "" {
		t.Errorf("state (-want +got):\n%s", diff)
	}
}
