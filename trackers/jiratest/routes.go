package jiratest

import (
	"net/http"
	"path"
	"strings"
)

// routes maps the endpoints the emulator serves to their handlers. Any
// other path, or a method an endpoint does not take, falls through to
// noResource: a 404 in Jira's envelope, not the mux's plain-text 404 or
// 405. A GET endpoint also answers HEAD, as the mux does and as Jira's
// REST framework does: JAX-RS (Jersey) answers a HEAD with the GET method
// when a resource has no HEAD method of its own (JAX-RS spec, "HEAD and
// OPTIONS"). It also picks the method before running it, so a method the
// resource lacks is a 405 whether or not the issue exists.
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	// Jira takes a path with or without a trailing slash.
	handle := func(pattern string, h http.HandlerFunc) {
		mux.HandleFunc(pattern, h)
		mux.HandleFunc(pattern+"/{$}", h)
	}
	const api = "/rest/api/2"
	handle("POST "+api+"/issue", s.createIssue)
	handle("GET "+api+"/issue/{key}", s.getIssue)
	handle("DELETE "+api+"/issue/{key}", s.deleteIssue)
	handle("GET "+api+"/issue/{key}/transitions", s.getTransitions)
	handle("POST "+api+"/issue/{key}/transitions", s.doTransition)
	handle(api+"/issue/{key}/transitions", methodNotAllowed)
	handle("GET "+api+"/issue/createmeta/{project}/issuetypes", s.createMeta)
	handle("GET "+api+"/issue/createmeta/{project}/issuetypes/{type}", s.createMeta)
	handle("GET "+api+"/issue/{key}/remotelink", s.listRemoteLinks)
	handle("POST "+api+"/issue/{key}/remotelink", s.addRemoteLink)
	handle(api+"/issue/{key}/remotelink", methodNotAllowed)
	handle("GET "+api+"/issue/{key}/comment", s.listComments)
	handle("POST "+api+"/issue/{key}/comment", s.addComment)
	handle(api+"/issue/{key}/comment", methodNotAllowed)
	handle("GET "+api+"/myself", s.myself)
	handle("GET "+api+"/mypermissions", s.myPermissions)
	handle("GET "+api+"/project/{key}", s.project)
	handle("GET "+api+"/search", s.searchOld)
	handle("POST "+api+"/search", s.searchOld)
	handle("GET "+api+"/search/jql", s.searchJQL)
	handle("POST "+api+"/search/jql", s.searchJQL)
	handle("GET "+api+"/user/assignable/search", s.assignableSearch)
	handle("GET "+api+"/user/search", s.userSearch)
	mux.HandleFunc("/", noResource)
	return mux
}

// route serves r with the mux. A path that is not clean ("//", "..") is a
// 404 rather than the mux's redirect: Jira's paths are never written so.
func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	if p := strings.TrimSuffix(r.URL.Path, "/"); p != "" && p != path.Clean(p) {
		noResource(w, r)
		return
	}
	s.mux.ServeHTTP(w, r)
}

func noResource(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusNotFound, []string{"No resource found for " + r.Method + " " + r.URL.Path}, nil)
}

func methodNotAllowed(w http.ResponseWriter, _ *http.Request) {
	writeError(w, http.StatusMethodNotAllowed, []string{"Method not allowed"}, nil)
}
