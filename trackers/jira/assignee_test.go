package jira_test

import (
	"context"
	"strings"
	"testing"

	"github.com/wrapup/wrapup/internal/emulator"
	"github.com/wrapup/wrapup/timeline"
	"github.com/wrapup/wrapup/trackers"
	"github.com/wrapup/wrapup/trackers/jira"
	"github.com/wrapup/wrapup/trackers/jiratest"
	"github.com/wrapup/wrapup/trackers/trackertest"
)

// assigneeWorld: alice can be assigned in OPS; mallory only in SRE;
// carol hides her e-mail, as most Cloud users do.
var assigneeWorld = []jiratest.User{
	{AccountID: "557058:alice", Name: "alice", Email: "alice@acme.example", DisplayName: "Alice", Assignable: []string{"OPS"}},
	{AccountID: "557058:mallory", Name: "mallory", Email: "mallory@acme.example", DisplayName: "Mallory", Assignable: []string{"SRE"}},
	{AccountID: "557058:carol", Name: "carol", Email: "carol@acme.example", DisplayName: "Carol", EmailHidden: true},
}

func inspectJira(srv *jiratest.Server) trackertest.Inspect {
	return func(t *testing.T, tk timeline.Ticket) (string, string) {
		t.Helper()
		for _, is := range srv.Issues() {
			if is.Key == tk.ID {
				return is.Description, is.Assignee
			}
		}
		t.Fatalf("no issue %s", tk.ID)
		return "", ""
	}
}

func TestAssigneeContract(t *testing.T) {
	for _, dep := range []string{jiratest.Cloud, jiratest.DataCenter} {
		t.Run(dep, func(t *testing.T) {
			trackertest.RunAssignees(t, func(t *testing.T) (trackers.Service, trackertest.Inspect) {
				srv, tr := newJira(t, jiratest.Options{Deployment: dep, Projects: []string{"OPS", "SRE"}, Users: assigneeWorld},
					func(c *jira.Config) {
						if dep == jiratest.Cloud {
							c.Users = map[string]string{"alice": "557058:alice", "mallory": "557058:mallory"}
						}
					})
				return tr, inspectJira(srv)
			})
		})
	}
}

// TestCloudAssignsByMapOrVisibleEmail: on Cloud a Slack handle is
// assigned through tracker.jira.users, else by an e-mail Jira shows; a
// hidden e-mail (TestHiddenEmail in jiratest) leaves the item
// unassigned, saying so.
func TestCloudAssignsByMapOrVisibleEmail(t *testing.T) {
	ctx := context.Background()
	srv, tr := newJira(t, jiratest.Options{Users: assigneeWorld}, func(c *jira.Config) {
		c.Users = map[string]string{"carol-mapped": "557058:carol"}
	})
	cases := []struct {
		handle, email, want, note string
	}{
		{"alice", "alice@acme.example", "557058:alice", ""},
		{"carol", "carol@acme.example", "", "@carol is not in tracker.jira.users and no Jira user shows the e-mail carol@acme.example"},
		{"carol-mapped", "", "557058:carol", ""},
		{"nobody", "", "", "@nobody is not in tracker.jira.users and has no known e-mail"},
	}
	for i, c := range cases {
		it := trackertest.Item("cloud", i)
		it.Assignee, it.AssigneeEmail = c.handle, c.email
		f, err := tr.FileReport(ctx, it)
		if err != nil {
			t.Fatalf("%s: %v", c.handle, err)
		}
		_, got := inspectJira(srv)(t, f.Ticket)
		if got != c.want || !strings.Contains(f.Unassigned, c.note) || (c.note == "") != (f.Unassigned == "") {
			t.Errorf("%s: assignee %q, unassigned %q; want %q, %q", c.handle, got, f.Unassigned, c.want, c.note)
		}
	}
}

// TestAssigneeOffScreen: a project whose create screen lacks the
// assignee answers 400 errors.assignee for any assignee (go-jira issue
// #373): the item is filed unassigned, saying so.
func TestAssigneeOffScreen(t *testing.T) {
	srv, tr := newJira(t, jiratest.Options{ProjectSetup: []jiratest.Project{{Key: "OPS", AssigneeOffScreen: true}}, Users: assigneeWorld},
		func(c *jira.Config) { c.Users = map[string]string{"alice": "557058:alice"} })
	it := trackertest.Item("screen", 1)
	it.Assignee = "alice"
	f, err := tr.FileReport(context.Background(), it)
	if err != nil {
		t.Fatal(err)
	}
	text, who := inspectJira(srv)(t, f.Ticket)
	if who != "" || !strings.Contains(f.Unassigned, "@alice could not be assigned in OPS") || !strings.Contains(text, "@alice could not be assigned in OPS") ||
		f.OwnerNote != "not assignable in OPS" {
		t.Errorf("assignee %q, unassigned %q, owner note %q, text:\n%s", who, f.Unassigned, f.OwnerNote, text)
	}
}

func TestReadContract(t *testing.T) {
	for _, dep := range []string{jiratest.Cloud, jiratest.DataCenter} {
		t.Run(dep, func(t *testing.T) {
			trackertest.RunReads(t, func(t *testing.T) (trackers.Service, trackertest.FailReads) {
				srv, tr := newJira(t, jiratest.Options{Deployment: dep}, nil)
				return tr, func(t *testing.T, n, status int) {
					if err := srv.Admin().SetFaults([]emulator.Fault{{Service: "jira", Method: "GET", Path: "/rest/api/2/search*", Times: n, Status: status}}); err != nil {
						t.Fatal(err)
					}
				}
			})
		})
	}
}

// TestSetupRefusalsAreNamed: a create the project's setup refuses fails
// with Jira's own words, naming the field (jiratest's
// TestProjectSetupRestrictions gives the sources).
func TestSetupRefusalsAreNamed(t *testing.T) {
	for _, c := range []struct {
		setup jiratest.Project
		want  string
	}{
		{jiratest.Project{Key: "OPS", LabelsOffScreen: true}, "Field 'labels' cannot be set"},
		{jiratest.Project{Key: "OPS", RequiredFields: []string{"customfield_10010"}}, "customfield_10010 is required"},
		{jiratest.Project{Key: "OPS", IssueTypes: []string{"Bug"}}, "The issue type selected is invalid"},
	} {
		_, tr := newJira(t, jiratest.Options{ProjectSetup: []jiratest.Project{c.setup}}, nil)
		_, err := tr.File(context.Background(), trackertest.Item("setup", 1))
		if err == nil || !trackers.IsPermanent(err) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v; want a permanent error saying %q", c.setup, err, c.want)
		}
	}
}
