package emustack

import (
	"github.com/wrapup/wrapup/internal/emulator"
	"github.com/wrapup/wrapup/trackers/githubtest"
	"github.com/wrapup/wrapup/trackers/jiratest"
)

// defaultJiraProjects and defaultGitHubRepos are the trackers the emulator
// has without a world, as DESIGN "The emulator" lists them.
func defaultJiraProjects() []string { return []string{"OPS", "INC", "SRE"} }
func defaultGitHubRepos() []string  { return []string{"acme/incidents", "acme/postmortems", "octo/ops"} }

// jiraOptions maps the world's Jira part onto the emulator's options. A
// world that lists projects replaces the default ones (a team mirrors its
// own site), and so does one that lists users (opts.JiraUsers).
func jiraOptions(opts Options, admin *emulator.Admin) jiratest.Options {
	o := jiratest.Options{Token: opts.Token, Users: opts.JiraUsers, Admin: admin, Now: opts.Now,
		Projects: defaultJiraProjects()}
	w := opts.World
	if w == nil {
		return o
	}
	o.SearchDelay = w.Jira.SearchLag
	if len(w.Jira.Projects) > 0 {
		o.Projects = nil
		for _, p := range w.Jira.Projects {
			o.ProjectSetup = append(o.ProjectSetup, jiratest.Project{Key: p.Key, IssueTypes: p.IssueTypes,
				RequiredFields: p.RequiredFields, LabelsOffScreen: !p.LabelsOnScreen})
		}
	}
	if len(w.Jira.Users) > 0 {
		o.Users = nil
	}
	for _, u := range w.Jira.Users {
		o.Users = append(o.Users, jiratest.User{AccountID: u.AccountID, Name: u.Name, Email: u.Email,
			DisplayName: u.DisplayName, EmailHidden: !u.EmailVisible, Assignable: u.Assignable})
	}
	return o
}

// githubOptions maps the world's GitHub part onto the emulator's options.
// A world that lists repositories replaces the default ones.
func githubOptions(opts Options, admin *emulator.Admin) githubtest.Options {
	o := githubtest.Options{Token: opts.Token, Admin: admin, Now: opts.Now,
		WriteSpacing: opts.GitHubWriteSpacing, Repos: defaultGitHubRepos()}
	if w := opts.World; w != nil && len(w.GitHub.Repos) > 0 {
		o.Repos = nil
		for _, r := range w.GitHub.Repos {
			o.RepoSetup = append(o.RepoSetup, githubtest.Repo{Name: r.Name, Push: r.Push,
				Assignable: r.Assignable, Labels: r.Labels})
		}
	}
	return o
}
