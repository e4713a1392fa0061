package githubtest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// repoJSON renders GET /repos/{owner}/{repo} as github.com does for an
// authenticated caller: permissions says what the caller's token may do,
// which is how a client learns, before writing anything, that its token
// cannot create labels or set assignees (both need triage or push).
func (s *Server) repoJSON(r *http.Request, rp *repo, base string) map[string]any {
	web := strings.TrimSuffix(base, "/api/v3")
	owner, name, _ := strings.Cut(rp.name, "/")
	api := base + "/repos/" + rp.name
	_, app := s.appToken(r)
	write := !s.readOnly(r) && rp.setup.Push && !app
	created := ghTime(s.opts.Now().Add(-365 * 24 * time.Hour).Truncate(time.Hour))
	org := userJSON(owner, base, web)
	org["type"] = "Organization"
	open := s.openIssues(rp)
	return map[string]any{
		"id": rp.id, "node_id": fmt.Sprintf("R_kgDO%08X", rp.id),
		"name": name, "full_name": rp.name, "private": false, "owner": org, "organization": org,
		"html_url": web + "/" + rp.name, "description": nil, "fork": false, "url": api,
		"issues_url": api + "/issues{/number}", "labels_url": api + "/labels{/name}",
		"assignees_url": api + "/assignees{/user}", "pulls_url": api + "/pulls{/number}",
		"created_at": created, "updated_at": created, "pushed_at": created,
		"homepage": nil, "size": 0, "stargazers_count": 0, "watchers_count": 0, "language": nil,
		"has_issues": !s.opts.IssuesDisabled, "has_projects": true, "has_downloads": true,
		"has_wiki": true, "has_pages": false, "forks_count": 0, "archived": false, "disabled": false,
		"open_issues_count": open, "license": nil, "allow_forking": true, "is_template": false,
		"topics": []string{}, "visibility": "public", "forks": 0, "open_issues": open,
		"watchers": 0, "default_branch": "main",
		"permissions":   map[string]bool{"admin": write, "maintain": write, "push": write, "triage": write, "pull": true},
		"network_count": 0, "subscribers_count": 0,
	}
}

// readOnly reports whether the request carries Options.ReadOnlyToken.
// getRepo serves GET /repos/{owner}/{repo}.
func (s *Server) getRepo(w http.ResponseWriter, r *http.Request, rp *repo, base string) {
	writeJSON(w, http.StatusOK, s.repoJSON(r, rp, base))
}

// checkAssignee serves "Check if a user can be assigned", GET
// /repos/{owner}/{repo}/assignees/{login}: 204 if so, else 404.
func (s *Server) checkAssignee(w http.ResponseWriter, r *http.Request, rp *repo, _ string) {
	login := r.PathValue("login")
	if a := rp.setup.Assignable; a == nil || slices.ContainsFunc(a, func(x string) bool { return strings.EqualFold(x, login) }) {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	notFound(w)
}

func (s *Server) readOnly(r *http.Request) bool {
	return s.opts.ReadOnlyToken != "" && strings.HasSuffix(r.Header.Get("Authorization"), " "+s.opts.ReadOnlyToken)
}

// openIssues counts the repository's open issues and pull requests, as
// GitHub's open_issues_count does.
func (s *Server) openIssues(rp *repo) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, is := range rp.issues {
		if is.State == "open" {
			n++
		}
	}
	return n
}
