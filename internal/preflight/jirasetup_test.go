package preflight_test

import (
	"context"
	"testing"

	"github.com/wrapup/wrapup/internal/preflight"
	"github.com/wrapup/wrapup/trackers/jiratest"
)

// TestCheckJiraSetup: check reads the create metadata and names what
// would make every create fail (an issue type the project lacks, a
// required field wrapup does not fill, labels off the screen) or lose its
// assignee (assignee off the screen, mapped people not assignable). The
// emulator's restrictions are those of jiratest's TestProjectSetupRestrictions.
func TestCheckJiraSetup(t *testing.T) {
	users := []jiratest.User{
		{AccountID: "557058:alice", Name: "alice", Email: "alice@acme.example", Assignable: []string{"OPS"}},
		{AccountID: "557058:mallory", Name: "mallory", Email: "mallory@acme.example", Assignable: []string{"SRE"}},
	}
	setup := []jiratest.Project{
		{Key: "OPS"},
		{Key: "SRE", IssueTypes: []string{"Task", "Follow-up"}, RequiredFields: []string{"customfield_10010"}},
		{Key: "INC", LabelsOffScreen: true},
		{Key: "ASG", AssigneeOffScreen: true},
	}
	for _, dep := range []string{jiratest.Cloud, jiratest.DataCenter} {
		site := serve(t, jiratest.New(jiratest.Options{Deployment: dep, Token: "s3cret-token", Users: users, ProjectSetup: setup}))
		mapped := map[string]string{"alice": "557058:alice", "mallory": "557058:mallory"}
		if dep == jiratest.DataCenter {
			mapped = map[string]string{"alice": "alice", "mallory": "mallory"}
		}
		conn := func(project, typ string, fills ...string) preflight.JiraConn {
			return preflight.JiraConn{URL: site, Deployment: dep, User: "bot@example.com", Token: "s3cret-token", Project: project,
				IssueType: typ, Fills: fills, Users: mapped}
		}
		head := []outcome{{"jira.site", preflight.OK, ""}, {"jira.project", preflight.OK, ""}, {"jira.create", preflight.OK, ""}}
		tests := []struct {
			name string
			conn preflight.JiraConn
			want []outcome
		}{
			{"unknown issue type", conn("OPS", "Story"), []outcome{{"jira.issuetype", preflight.Failed, `no issue type "Story"`},
				{"jira.fields", preflight.Skipped, ""}, {"jira.screen", preflight.Skipped, ""}}},
			{"required field not filled", conn("SRE", "follow-up"), []outcome{{"jira.issuetype", preflight.OK, "Follow-up"},
				{"jira.fields", preflight.Failed, "customfield_10010"}, {"jira.screen", preflight.OK, ""}, {"jira.users", preflight.Failed, "1 of 2"}}},
			{"required field filled", conn("SRE", "Task", "customfield_10010"), []outcome{{"jira.issuetype", preflight.OK, ""},
				{"jira.fields", preflight.OK, ""}, {"jira.screen", preflight.OK, ""}, {"jira.users", preflight.Failed, "@alice"}}},
			{"labels off the screen", conn("INC", "Task"), []outcome{{"jira.issuetype", preflight.OK, ""},
				{"jira.fields", preflight.OK, ""}, {"jira.screen", preflight.Failed, "labels is not on the create screen"}, {"jira.users", preflight.Failed, "2 of 2"}}},
			{"assignee off the screen", conn("ASG", "Task"), []outcome{{"jira.issuetype", preflight.OK, ""},
				{"jira.fields", preflight.OK, ""}, {"jira.screen", preflight.Failed, "filed unassigned"}, {"jira.users", preflight.Failed, "@alice"}}},
			{"all good but one person", conn("OPS", "Task"), []outcome{{"jira.issuetype", preflight.OK, ""},
				{"jira.fields", preflight.OK, ""}, {"jira.screen", preflight.OK, ""}, {"jira.users", preflight.Failed, "@mallory"}}},
		}
		for _, tt := range tests {
			t.Run(dep+"/"+tt.name, func(t *testing.T) {
				compare(t, append(append([]outcome(nil), head...), tt.want...), preflight.CheckJira(context.Background(), tt.conn))
			})
		}
		t.Run(dep+"/no users mapped", func(t *testing.T) {
			c := conn("OPS", "Task")
			c.Users = nil
			got := preflight.CheckJira(context.Background(), c)
			if last := got[len(got)-1]; last.Name != "jira.users" || last.Status != preflight.OK {
				t.Errorf("%+v", last)
			}
		})
	}
}
