package jiratest_test

import (
	"fmt"
	"testing"

	"github.com/wrapup/wrapup/trackers/jiratest"
)

// world is a site set up like a real one, with the restrictions the
// world file can describe.
func world(t *testing.T, deployment string) string {
	t.Helper()
	_, base := jiratest.NewTestServer(t, jiratest.Options{
		Deployment: deployment,
		Projects:   []string{"OPS"},
		ProjectSetup: []jiratest.Project{
			{Key: "SRE", IssueTypes: []string{"Incident follow-up"}, RequiredFields: []string{"customfield_10010", "components"}, LabelsOffScreen: true},
		},
		Users: []jiratest.User{
			{AccountID: "557058:alice", Name: "alice", Email: "alice@acme.example", DisplayName: "Alice", EmailHidden: true, Assignable: []string{"OPS"}},
			{AccountID: "557058:bob", Name: "bob", Email: "bob@acme.example", DisplayName: "Bob"},
		},
	})
	return base
}

func fields(project, typ, extra string) string {
	return fmt.Sprintf(`{"fields":{"project":{"key":%q},"issuetype":{"name":%q},"summary":"s"%s}}`, project, typ, extra)
}

// errorsOf returns the errors object of a 400.
func errorsOf(t *testing.T, v any) map[string]any {
	t.Helper()
	m, _ := obj(v, "errors").(map[string]any)
	return m
}

// TestProjectSetupRestrictions: what a project's setup refuses on create.
func TestProjectSetupRestrictions(t *testing.T) {
	for _, dep := range []string{jiratest.Cloud, jiratest.DataCenter} {
		base := world(t, dep)
		assignee := func(who string) string {
			if dep == jiratest.Cloud {
				return fmt.Sprintf(`,"assignee":{"accountId":"557058:%s"}`, who)
			}
			return fmt.Sprintf(`,"assignee":{"name":%q}`, who)
		}
		cases := []struct {
			name, body, field string
		}{
			// A user outside the project's Assignable Users is refused with
			// errors.assignee: "User 'x' cannot be assigned issues."
			// (go-jira issue #373 and its comments: the Assignable User
			// permission; jira.js issue #361 on Cloud).
			{"assignee not assignable in the project", fields("SRE", "Incident follow-up", `,"customfield_10010":"x","components":[{"name":"c"}]`+assignee("alice")), "assignee"},
			// An issue type the project lacks is "The issue type selected is
			// invalid." under errors.issuetype (go-jira issue #265: "owners
			// of some projects have removed various types for their
			// project"; ghas-jira-integration #53 shows Cloud's body).
			{"issue type the project lacks", fields("OPS", "Story", ""), "issuetype"},
			{"issue type of another project", fields("OPS", "Incident follow-up", ""), "issuetype"},
			// A required custom field not set is a 400 naming it (Atlassian,
			// "JIRA REST API Example - Discovering meta-data for creating
			// issues": createmeta tells "what fields are mandatory").
			{"required field missing", fields("SRE", "Incident follow-up", `,"components":[{"name":"c"}]`), "customfield_10010"},
			{"required system field missing", fields("SRE", "Incident follow-up", `,"customfield_10010":"x"`), "components"},
			// A field off the create screen: "Field 'labels' cannot be set.
			// It is not on the appropriate screen, or unknown." (go-jira
			// issue #373; php-jira-rest-client #126).
			{"labels off the screen", fields("SRE", "Incident follow-up", `,"customfield_10010":"x","components":[{"name":"c"}],"labels":["wrapup-k"]`), "labels"},
		}
		for _, c := range cases {
			t.Run(dep+"/"+c.name, func(t *testing.T) {
				resp, got := do(t, base, "POST", "/rest/api/2/issue", c.body, nil)
				if resp.StatusCode != 400 {
					t.Fatalf("status %d, want 400: %v", resp.StatusCode, got)
				}
				if msg, _ := errorsOf(t, got)[c.field].(string); msg == "" {
					t.Errorf("errors %v do not name %s", got, c.field)
				}
			})
		}
		t.Run(dep+"/what the setup allows is created", func(t *testing.T) {
			for _, body := range []string{
				fields("OPS", "Task", `,"labels":["wrapup-k"]`+assignee("alice")),
				fields("OPS", "bug", assignee("bob")),
				fields("SRE", "Incident follow-up", `,"customfield_10010":"x","components":[{"name":"c"}]`+assignee("bob")),
			} {
				if resp, got := do(t, base, "POST", "/rest/api/2/issue", body, nil); resp.StatusCode != 201 {
					t.Errorf("%s: %d %v", body, resp.StatusCode, got)
				}
			}
		})
	}
}

// TestDefaultProjectsAcceptEveryone: without a world, DESIGN's defaults
// hold: Task and Bug, everyone assignable, labels on the screen.
func TestDefaultProjectsAcceptEveryone(t *testing.T) {
	_, base := jiratest.NewTestServer(t, jiratest.Options{Projects: []string{"OPS", "INC", "SRE"},
		Users: []jiratest.User{{AccountID: "a1", Email: "a@example.com"}}})
	for _, p := range []string{"OPS", "INC", "SRE"} {
		for _, typ := range []string{"Task", "Bug"} {
			body := fields(p, typ, `,"labels":["x"],"assignee":{"accountId":"a1"}`)
			if resp, got := do(t, base, "POST", "/rest/api/2/issue", body, nil); resp.StatusCode != 201 {
				t.Errorf("%s %s: %d %v", p, typ, resp.StatusCode, got)
			}
		}
	}
}

// TestHiddenEmail: Cloud's user search omits emailAddress for a user who
// hides it ("Privacy controls are applied to the response based on the
// users' preferences", Atlassian's REST v2 docs for GET
// /rest/api/2/user/search); Data Center has no such setting.
func TestHiddenEmail(t *testing.T) {
	for _, c := range []struct {
		dep, param string
		hidden     bool
	}{{jiratest.Cloud, "query", true}, {jiratest.DataCenter, "username", false}} {
		base := world(t, c.dep)
		_, got := do(t, base, "GET", "/rest/api/2/user/search?"+c.param+"=alice", "", nil)
		users, _ := got.([]any)
		if len(users) != 1 {
			t.Fatalf("%s: search found %v", c.dep, got)
		}
		_, has := users[0].(map[string]any)["emailAddress"]
		if has == c.hidden {
			t.Errorf("%s: emailAddress present = %v, want %v: %v", c.dep, has, !c.hidden, users[0])
		}
		_, got = do(t, base, "GET", "/rest/api/2/user/search?"+c.param+"=bob", "", nil)
		if obj(got, 0, "emailAddress") != "bob@acme.example" {
			t.Errorf("%s: a visible e-mail is missing: %v", c.dep, got)
		}
	}
}

// TestCreateMeta: the paged create metadata (Cloud: GET
// /rest/api/2/issue/createmeta/{projectIdOrKey}/issuetypes and
// .../issuetypes/{issueTypeId}, answering issueTypes or fields with
// maxResults, startAt, total; Data Center 8.4+: the same paths answering
// values with isLast), per jira.js's getCreateIssueMetaIssueTypeId
// (cloud) and getCreateIssueMetaFields (server) typings.
func TestCreateMeta(t *testing.T) {
	for _, c := range []struct{ dep, types, fields string }{
		{jiratest.Cloud, "issueTypes", "fields"},
		{jiratest.DataCenter, "values", "values"},
	} {
		base := world(t, c.dep)
		resp, got := do(t, base, "GET", "/rest/api/2/issue/createmeta/SRE/issuetypes", "", nil)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %v", c.dep, resp.StatusCode, got)
		}
		types, _ := obj(got, c.types).([]any)
		if len(types) != 1 || obj(types, 0, "name") != "Incident follow-up" {
			t.Fatalf("%s: issue types %v", c.dep, got)
		}
		id, _ := obj(types, 0, "id").(string)
		_, got = do(t, base, "GET", "/rest/api/2/issue/createmeta/SRE/issuetypes/"+id, "", nil)
		required := map[string]bool{}
		on := map[string]bool{}
		list, _ := obj(got, c.fields).([]any)
		for _, f := range list {
			fid, _ := obj(f, "fieldId").(string)
			on[fid] = true
			if obj(f, "required") == true {
				required[fid] = true
			}
		}
		for _, f := range []string{"summary", "customfield_10010", "components"} {
			if !required[f] {
				t.Errorf("%s: %s not required in %v", c.dep, f, got)
			}
		}
		if on["labels"] || !on["assignee"] {
			t.Errorf("%s: labels on screen %v, assignee %v; want false, true", c.dep, on["labels"], on["assignee"])
		}
		if resp, _ := do(t, base, "GET", "/rest/api/2/issue/createmeta/NOPE/issuetypes", "", nil); resp.StatusCode != 404 {
			t.Errorf("%s: unknown project: %d", c.dep, resp.StatusCode)
		}
		if resp, _ := do(t, base, "GET", "/rest/api/2/issue/createmeta/OPS/issuetypes/"+id, "", nil); resp.StatusCode != 404 {
			t.Errorf("%s: a type of another project: %d", c.dep, resp.StatusCode)
		}
	}
}

// TestAssignableSearch: GET /rest/api/2/user/assignable/search?project=
// ("Find users assignable to issues", Atlassian REST v2) lists only the
// users assignable in the project.
func TestAssignableSearch(t *testing.T) {
	base := world(t, jiratest.Cloud)
	for _, c := range []struct {
		q    string
		want int
	}{{"project=OPS", 2}, {"project=SRE", 1}, {"project=SRE&accountId=557058:alice", 0}, {"project=OPS&accountId=557058:alice", 1}} {
		_, got := do(t, base, "GET", "/rest/api/2/user/assignable/search?"+c.q, "", nil)
		if l, _ := got.([]any); len(l) != c.want {
			t.Errorf("%s: %v; want %d users", c.q, got, c.want)
		}
	}
}
