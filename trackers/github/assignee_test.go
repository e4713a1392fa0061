package github_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/wrapup/wrapup/internal/emulator"
	"github.com/wrapup/wrapup/timeline"
	"github.com/wrapup/wrapup/trackers"
	"github.com/wrapup/wrapup/trackers/github"
	"github.com/wrapup/wrapup/trackers/githubtest"
	"github.com/wrapup/wrapup/trackers/trackertest"
)

func inspectGitHub(srv *githubtest.Server) trackertest.Inspect {
	return func(t *testing.T, tk timeline.Ticket) (string, string) {
		t.Helper()
		_, num, _ := strings.Cut(tk.ID, "#")
		n, _ := strconv.Atoi(num)
		for _, is := range srv.Issues(repo) {
			if is.Number == n {
				return is.Body, strings.Join(is.Assignees, ",")
			}
		}
		t.Fatalf("no issue %s", tk.ID)
		return "", ""
	}
}

func TestAssigneeContract(t *testing.T) {
	trackertest.RunAssignees(t, func(t *testing.T) (trackers.Service, trackertest.Inspect) {
		srv, tr := newGitHub(t, githubtest.Options{RepoSetup: []githubtest.Repo{{Name: repo, Push: true, Assignable: []string{"alice-gh"}}}},
			func(c *github.Config) { c.Users = map[string]string{"alice": "alice-gh", "mallory": "mallory-gh"} })
		return tr, inspectGitHub(srv)
	})
}

func TestReadContract(t *testing.T) {
	trackertest.RunReads(t, func(t *testing.T) (trackers.Service, trackertest.FailReads) {
		srv, tr := newGitHub(t, githubtest.Options{}, nil)
		return tr, func(t *testing.T, n, status int) {
			if err := srv.Admin().SetFaults([]emulator.Fault{{Service: "github", Method: "GET", Path: "/repos/" + repo + "/issues", Times: n, Status: status}}); err != nil {
				t.Fatal(err)
			}
		}
	})
}
