package githubtest

import (
	"net/http"
	"slices"
	"strings"
)

// AppToken is a GitHub App installation token, such as GITHUB_TOKEN in
// Actions (the ghs_ prefix). Its repository permissions are the
// installation's, which GET /repos/{owner}/{repo} does not show: for
// such a token "permissions" says push false whatever it may do
// (flathub-infra/flatpak-external-data-checker #223,
// lindell/multi-gitter #334).
type AppToken struct {
	// Repos are the "owner/name" repositories the installation can reach.
	Repos []string
	// IssuesWrite grants issues: write; without it, writes to issues and
	// labels answer 403 "Resource not accessible by integration".
	IssuesWrite bool
	// ContentsWrite grants contents: write, which the Git data API's
	// writes (blobs, trees, commits, refs) need ("Permissions required for
	// GitHub Apps": Git database; the 2023-09-26 changelog "Changes to
	// token permission on packages": creating refs needs contents write).
	ContentsWrite bool
	// PullRequestsWrite grants pull_requests: write, which opening,
	// editing and requesting reviewers on pull requests need.
	PullRequestsWrite bool
}

// mayWrite reports whether the installation may make a write to the
// repository's sub-resource (the path's part after owner/name): each
// family of endpoints answers to its own permission.
func (a AppToken) mayWrite(sub string) bool {
	switch sub {
	case "git":
		return a.ContentsWrite
	case "pulls":
		return a.PullRequestsWrite
	default:
		return a.IssuesWrite
	}
}

// appToken returns the request's App token, if it carries one.
func (s *Server) appToken(r *http.Request) (AppToken, bool) {
	for tok, a := range s.opts.AppTokens {
		if strings.HasSuffix(r.Header.Get("Authorization"), " "+tok) {
			return a, true
		}
	}
	return AppToken{}, false
}

// reaches reports whether the App token can reach the repository.
func (a AppToken) reaches(name string) bool {
	return slices.ContainsFunc(a.Repos, func(x string) bool { return strings.EqualFold(x, name) })
}

// installationRepos serves GET /installation/repositories: the
// repositories an installation token can reach. Other tokens get a 403.
func (s *Server) installationRepos(w http.ResponseWriter, r *http.Request, base string) {
	a, ok := s.appToken(r)
	if !ok {
		writeJSON(w, http.StatusForbidden, errBody("You must authenticate with an installation access token in order to list repositories for an installation.",
			"https://docs.github.com/rest/apps/installations#list-repositories-accessible-to-the-app-installation"))
		return
	}
	repos := []map[string]any{}
	for _, name := range a.Repos {
		s.mu.Lock()
		rp := s.repos[strings.ToLower(name)]
		s.mu.Unlock()
		if rp != nil {
			repos = append(repos, s.repoJSON(r, rp, base))
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"total_count": len(repos), "repository_selection": "selected", "repositories": repos})
}

// appRefuses answers a call the App token may not make, and reports
// whether it did: a repository outside the installation is a 404, as any
// repository the caller cannot see; a write without the permission its
// endpoints answer to (issues, contents, pull_requests) is a 403
// "Resource not accessible by integration".
func (s *Server) appRefuses(w http.ResponseWriter, r *http.Request, path string) bool {
	a, ok := s.appToken(r)
	if !ok {
		return false
	}
	parts := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case len(parts) >= 3 && parts[0] == "repos" && !a.reaches(parts[1]+"/"+parts[2]):
		notFound(w)
	case isWrite(r.Method) && !a.mayWrite(sub(parts)):
		writeJSON(w, http.StatusForbidden, errBody("Resource not accessible by integration", "https://docs.github.com/rest/issues/issues#create-an-issue"))
	default:
		return false
	}
	return true
}

// sub is the part of a repository path after owner/name: "issues",
// "git", "pulls"; "" for the repository itself or another path.
func sub(parts []string) string {
	if len(parts) >= 4 && parts[0] == "repos" {
		return parts[3]
	}
	return ""
}
