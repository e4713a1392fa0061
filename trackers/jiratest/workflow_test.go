package jiratest_test

import (
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/wrapup/wrapup/trackers/jiratest"
)

// TestTransitions: issues are closed and reopened through Jira's
// transitions API (GET and POST /rest/api/2/issue/{key}/transitions, in
// the shapes of go-jira's mocks/transitions.json; a POST answers 204 with
// no body, as in the curl trace quoted in pastebin 44EhHXWd), and a
// search or a get shows the status, its category, the resolution and the
// resolution date.
func TestTransitions(t *testing.T) {
	now := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	s, base := jiratest.NewTestServer(t, jiratest.Options{Now: func() time.Time { return now }})
	for range 4 {
		do(t, base, "POST", "/rest/api/2/issue", create, nil)
	}

	_, got := do(t, base, "GET", "/rest/api/2/issue/OPS-1/transitions?expand=transitions.fields", "", nil)
	rec := recorded(t, "go-jira-v1.17.0/mocks/transitions.json")
	subset(t, "transitions", rec, got)
	subset(t, "transition", obj(rec, "transitions", 0), obj(got, "transitions", 0))
	subset(t, "transition to", obj(rec, "transitions", 0, "to"), obj(got, "transitions", 0, "to"))
	subset(t, "status category", obj(rec, "transitions", 0, "to", "statusCategory"), obj(got, "transitions", 0, "to", "statusCategory"))
	var names []string
	for _, tr := range obj(got, "transitions").([]any) {
		names = append(names, obj(tr, "name").(string))
	}
	// A new issue is in To Do; a simplified workflow offers every other
	// status.
	if want := []string{"In Progress", "Done", "Won't Do"}; !slices.Equal(names, want) {
		t.Errorf("transitions of a new issue %v; want %v", names, want)
	}

	status := func(key string) (name, category string, resolution, date any) {
		t.Helper()
		_, is := do(t, base, "GET", "/rest/api/2/issue/"+key, "", nil)
		f := obj(is, "fields")
		res := obj(f, "resolution")
		if res != nil {
			res = obj(res, "name")
		}
		return obj(f, "status", "name").(string), obj(f, "status", "statusCategory", "key").(string), res, obj(f, "resolutiondate")
	}
	if n, c, r, d := status("OPS-1"); n != "To Do" || c != "new" || r != nil || d != nil {
		t.Errorf("new issue: %s %s %v %v", n, c, r, d)
	}

	post := func(key, body string, want int) any {
		t.Helper()
		resp, v := do(t, base, "POST", "/rest/api/2/issue/"+key+"/transitions", body, nil)
		if resp.StatusCode != want {
			t.Errorf("POST %s transitions %s: status %d, want %d (%v)", key, body, resp.StatusCode, want, v)
		}
		if want == 204 && v != nil {
			t.Errorf("204 with a body: %v", v)
		}
		return v
	}
	post("OPS-1", `{"transition":{"id":"31"}}`, 204)
	if n, c, r, d := status("OPS-1"); n != "Done" || c != "done" || r != "Done" || d != "2026-11-02T10:00:00.000+0000" {
		t.Errorf("after Done: %s %s %v %v", n, c, r, d)
	}
	post("OPS-2", `{"transition":{"id":"41"}}`, 204)
	if n, c, r, _ := status("OPS-2"); n != "Won't Do" || c != "done" || r != "Won't Do" {
		t.Errorf("after Won't Do: %s %s %v", n, c, r)
	}
	// The resolution can be set on a transition into the done category
	// (gitlab-org/gitlab#26230 shows the request: fields.resolution.name).
	post("OPS-3", `{"transition":{"id":"31"},"fields":{"resolution":{"name":"Duplicate"}}}`, 204)
	if n, _, r, _ := status("OPS-3"); n != "Done" || r != "Duplicate" {
		t.Errorf("after Done as Duplicate: %s %v", n, r)
	}
	// Reopening clears the resolution and its date.
	now = now.Add(time.Hour)
	post("OPS-3", `{"transition":{"id":"21"}}`, 204)
	if n, c, r, d := status("OPS-3"); n != "In Progress" || c != "indeterminate" || r != nil || d != nil {
		t.Errorf("after reopening: %s %s %v %v", n, c, r, d)
	}

	// Refusals. A transition the issue does not have: "Transition id 'N'
	// is not valid for this issue." in errorMessages (as Jira words it,
	// e.g. in jira-python and go-jira user reports); a field the
	// transition's screen lacks is an errors entry, like the create
	// screen's; an unknown resolution too.
	msgs := func(v any) []any { m, _ := obj(v, "errorMessages").([]any); return m }
	if v := post("OPS-4", `{"transition":{"id":"99"}}`, 400); !slices.Equal(msgs(v), []any{"Transition id '99' is not valid for this issue."}) {
		t.Errorf("unknown transition: %v", v)
	}
	if v := post("OPS-1", `{"transition":{"id":"31"}}`, 400); len(msgs(v)) != 1 {
		t.Errorf("transition to the status it is in: %v", v)
	}
	if v := post("OPS-4", `{"transition":{"id":"21"},"fields":{"resolution":{"name":"Done"}}}`, 400); obj(v, "errors", "resolution") == nil {
		t.Errorf("resolution on a transition out of done: %v", v)
	}
	if v := post("OPS-4", `{"transition":{"id":"31"},"fields":{"resolution":{"name":"Fixed!"}}}`, 400); obj(v, "errors", "resolution") == nil {
		t.Errorf("unknown resolution: %v", v)
	}
	post("OPS-4", `{}`, 400)
	post("OPS-9", `{"transition":{"id":"31"}}`, 404)
	if n, _, _, _ := status("OPS-4"); n != "To Do" {
		t.Errorf("a refused transition changed the status to %s", n)
	}

	// The admin state shows each issue's status.
	st := s.State()["issues"].([]jiratest.StateIssue)
	if st[0].Status != "Done" || st[0].StatusCategory != "done" || st[0].Resolution != "Done" || st[0].ResolutionDate == "" ||
		st[1].Resolution != "Won't Do" || st[2].Status != "In Progress" || st[2].ResolutionDate != "" || st[3].Status != "To Do" {
		t.Errorf("state: %+v", st)
	}
}

// TestKeysInJQL: a JQL naming keys is checked against the issues that
// exist, and Jira refuses it whole, listing every unknown key: "An issue
// with key 'X' does not exist for field 'key'." (deleted or never made)
// and "The issue key 'X' for field 'key' is invalid." (not shaped like a
// key), per Atlassian's KB "How to handle HTTP 400 Bad Request errors on
// Jira search REST API endpoint" ("non-existing data directly referenced
// in the JQL query"; the messages as clients quote them, e.g.
// hygieia/hygieia#1376). A moved issue's old key still finds it, under
// its new key.
func TestKeysInJQL(t *testing.T) {
	for _, dep := range []string{jiratest.Cloud, jiratest.DataCenter} {
		t.Run(dep, func(t *testing.T) {
			s, base := jiratest.NewTestServer(t, jiratest.Options{Deployment: dep, Projects: []string{"OPS", "SRE"}})
			for range 3 {
				do(t, base, "POST", "/rest/api/2/issue", create, nil)
			}
			path := "/rest/api/2/search/jql"
			if dep == jiratest.DataCenter {
				path = "/rest/api/2/search"
			}
			search := func(jql string) (int, any) {
				t.Helper()
				resp, v := do(t, base, "GET", path+"?fields=status&jql="+url.QueryEscape(jql), "", nil)
				return resp.StatusCode, v
			}
			found := func(v any) []string {
				var keys []string
				for _, is := range obj(v, "issues").([]any) {
					keys = append(keys, obj(is, "key").(string))
				}
				return keys
			}
			if code, v := search(`key in (OPS-1, OPS-3)`); code != 200 || !slices.Equal(found(v), []string{"OPS-1", "OPS-3"}) {
				t.Errorf("key in: %d %v", code, v)
			}
			resp, _ := do(t, base, "DELETE", "/rest/api/2/issue/OPS-2", "", nil)
			if resp.StatusCode != 204 {
				t.Errorf("DELETE: status %d, want 204", resp.StatusCode)
			}
			if resp, _ := do(t, base, "GET", "/rest/api/2/issue/OPS-2", "", nil); resp.StatusCode != 404 {
				t.Errorf("GET a deleted issue: %d, want 404", resp.StatusCode)
			}
			code, v := search(`key in (OPS-1, OPS-2, "x", OPS-7)`)
			want := []any{"An issue with key 'OPS-2' does not exist for field 'key'.", "The issue key 'x' for field 'key' is invalid.",
				"An issue with key 'OPS-7' does not exist for field 'key'."}
			if m, _ := obj(v, "errorMessages").([]any); code != 400 || !slices.Equal(m, want) {
				t.Errorf("unknown keys: %d %v; want 400 %v", code, v, want)
			}
			if code, _ := search(`issuekey = OPS-2`); code != 400 {
				t.Errorf("issuekey = a deleted key: %d, want 400", code)
			}
			newKey, err := s.Move("OPS-3", "SRE")
			if err != nil || newKey != "SRE-1" {
				t.Fatalf("Move = %q, %v", newKey, err)
			}
			if code, v := search(`key in (OPS-1, OPS-3)`); code != 200 || !slices.Equal(found(v), []string{"OPS-1", "SRE-1"}) {
				t.Errorf("old key of a moved issue: %d %v", code, v)
			}
			if _, v := do(t, base, "GET", "/rest/api/2/issue/OPS-3", "", nil); obj(v, "key") != "SRE-1" {
				t.Errorf("GET by the old key: %v", v)
			}
		})
	}
}
