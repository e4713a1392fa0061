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
	// IssuesWrite grants issues: write; without it, writes answer 403
	// "Resource not accessible by integration".
	IssuesWrite bool
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
// repository the caller cannot see; a write without issues: write is a
// 403 "Resource not accessible by integration".
func (s *Server) appRefuses(w http.ResponseWriter, r *http.Request, path string) bool {
	a, ok := s.appToken(r)
	if !ok {
		return false
	}
	parts := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case len(parts) >= 3 && parts[0] == "repos" && !a.reaches(parts[1]+"/"+parts[2]):
		notFound(w)
	case isWrite(r.Method) && !a.IssuesWrite:
		writeJSON(w, http.StatusForbidden, errBody("Resource not accessible by integration", "https://docs.github.com/rest/issues/issues#create-an-issue"))
	default:
		return false
	}
	return true
}
