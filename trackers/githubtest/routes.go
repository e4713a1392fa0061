package githubtest

import (
	"net/http"
	"path"
	"strconv"
	"strings"
)

// repoHandler serves a call on one repository; base is the API root the
// client called ("http://host" or "http://host/api/v3"), for URLs in the
// answer.
type repoHandler func(w http.ResponseWriter, r *http.Request, rp *repo, base string)

// routes maps the endpoints to their handlers, under both layouts: from
// the root (github.com) and under /api/v3 (GitHub Enterprise). Any other
// path or method falls through to GitHub's JSON 404 "Not Found", which is
// also its answer to a method an endpoint does not take. A GET endpoint
// answers HEAD too, as the mux does and as GitHub's v3 docs say under
// "HTTP verbs" (HEAD "can be issued against any resource to get just the
// HTTP header info").
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	for _, mount := range []string{"", "/api/v3"} {
		mux.HandleFunc("GET "+mount+"/installation/repositories", func(w http.ResponseWriter, r *http.Request) {
			s.installationRepos(w, r, "http://"+r.Host+mount)
		})
		// A repository is named by owner/name or by id; only the first
		// creates issues.
		for _, at := range []string{"/repos/{owner}/{repo}", "/repositories/{id}"} {
			// GitHub takes a repository path with or without a trailing
			// slash.
			handle := func(method, sub string, h repoHandler) {
				pattern := method + " " + mount + at + sub
				mux.HandleFunc(pattern, s.inRepo(mount, h))
				mux.HandleFunc(pattern+"/{$}", s.inRepo(mount, h))
			}
			handle("GET", "", s.getRepo)
			handle("GET", "/issues", s.listIssues)
			if at == "/repos/{owner}/{repo}" {
				handle("POST", "/issues", s.createIssue)
				handle("PATCH", "/issues/{number}", s.updateIssue)
			}
			handle("GET", "/issues/{number}", s.getIssue)
			handle("GET", "/assignees/{login}", s.checkAssignee)
			handle("GET", "/labels", s.listLabels)
			handle("POST", "/labels", s.createLabel)
			handle("GET", "/labels/{name}", s.getLabel)
			handle("GET", "/pulls", s.listPulls)
			handle("GET", "/pulls/{number}", s.getPull)
			handle("GET", "/pulls/{number}/reviews", s.listReviews)
			handle("GET", "/git/blobs/{sha}", s.getBlob)
			handle("GET", "/git/trees/{sha}", s.getTree)
			handle("GET", "/git/commits/{sha}", s.getCommit)
			mux.HandleFunc("GET "+mount+at+"/git/ref/{ref...}", s.inRepo(mount, s.getRef))
			mux.HandleFunc("GET "+mount+at+"/contents/{path...}", s.inRepo(mount, s.getContents))
			if at == "/repos/{owner}/{repo}" {
				handle("POST", "/pulls", s.createPull)
				handle("PATCH", "/pulls/{number}", s.updatePull)
				handle("POST", "/pulls/{number}/requested_reviewers", s.requestReviewers)
				handle("POST", "/git/blobs", s.createBlob)
				handle("POST", "/git/trees", s.createTree)
				handle("POST", "/git/commits", s.createCommit)
				handle("POST", "/git/refs", s.createRef)
				mux.HandleFunc("PATCH "+mount+at+"/git/refs/{ref...}", s.inRepo(mount, s.updateRef))
			}
		}
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) { notFound(w) })
	return mux
}

// route serves r with the mux. A path that is not clean ("//", "..") is a
// 404 rather than the mux's redirect: no client writes one.
func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	if p := strings.TrimSuffix(r.URL.Path, "/"); p != "" && p != path.Clean(p) {
		notFound(w)
		return
	}
	s.mux.ServeHTTP(w, r)
}

// inRepo finds the repository of the path's {owner}/{repo} or {id} and
// hands it to h; an unknown one is a 404, as is one the caller cannot see.
func (s *Server) inRepo(mount string, h repoHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		var rp *repo
		if id := r.PathValue("id"); id != "" {
			n, _ := strconv.ParseInt(id, 10, 64)
			rp = s.repoIDs[n]
		} else {
			rp = s.repos[strings.ToLower(r.PathValue("owner")+"/"+r.PathValue("repo"))]
		}
		s.mu.Unlock()
		if rp == nil {
			notFound(w)
			return
		}
		h(w, r, rp, "http://"+r.Host+mount)
	}
}
