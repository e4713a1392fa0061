package jiratest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/wrapup/wrapup/trackers/jiratest"
)

// TestRoutes pins the answers of the router itself: a path or method no
// endpoint takes is a 404 in Jira's error envelope (do fails on a body
// that is not JSON, such as the mux's "404 page not found" or its 405),
// a trailing slash is ignored, and a path that is not clean is a 404
// rather than a redirect.
func TestRoutes(t *testing.T) {
	tests := []struct {
		method, path string
		status       int
		message      string // in errorMessages, when not empty
	}{
		{"GET", "/rest/api/2/nope", 404, "No resource found for GET /rest/api/2/nope"},
		{"GET", "/rest/api/2/issue", 404, "No resource found for GET /rest/api/2/issue"},
		{"PUT", "/rest/api/2/issue/OPS-1", 404, "No resource found for PUT /rest/api/2/issue/OPS-1"},
		{"DELETE", "/rest/api/2/myself", 404, "No resource found for DELETE /rest/api/2/myself"},
		{"GET", "/rest/api/2/issue/OPS-1/", 200, ""},
		{"GET", "/rest/api/2/issue/OPS-1/comment/", 200, ""},
		{"GET", "/rest/api/2/issue/OPS-1/x", 404, "No resource found for GET /rest/api/2/issue/OPS-1/x"},
		{"GET", "/rest/api/2//myself", 404, "No resource found for GET /rest/api/2//myself"},
		{"GET", "/rest/api/2/issue/OPS-2/../OPS-1", 404, ""},
		{"PUT", "/rest/api/2/issue/OPS-1/remotelink", 405, "Method not allowed"},
		{"DELETE", "/rest/api/2/issue/OPS-1/comment", 405, "Method not allowed"},
		{"GET", "/rest/api/2/issue/OPS-9/remotelink", 404, "Issue does not exist or you do not have permission to see it."},
		{"GET", "/rest/api/2/project/OPS/x", 404, ""},
		// JAX-RS, on which Jira's REST API runs, picks the resource method
		// before running it: a method the resource lacks is a 405 whether
		// or not the issue exists.
		{"PUT", "/rest/api/2/issue/OPS-9/remotelink", 405, "Method not allowed"},
	}
	_, base := jiratest.NewTestServer(t, jiratest.Options{})
	do(t, base, "POST", "/rest/api/2/issue", create, nil)
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			resp, v := do(t, base, tt.method, tt.path, "", nil)
			if resp.StatusCode != tt.status {
				t.Errorf("status %d; want %d", resp.StatusCode, tt.status)
			}
			if resp.Request.URL.Path != strings.Split(tt.path, "?")[0] && !strings.Contains(tt.path, "..") {
				t.Errorf("redirected to %s", resp.Request.URL.Path)
			}
			if tt.message == "" {
				return
			}
			msgs, _ := v.(map[string]any)["errorMessages"].([]any)
			if len(msgs) != 1 || msgs[0] != tt.message {
				t.Errorf("errorMessages %v; want [%q]", msgs, tt.message)
			}
		})
	}
	client := http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	raw := func(method, path string) int {
		t.Helper()
		req, _ := http.NewRequest(method, base, nil)
		req.URL.Opaque = "//" + req.URL.Host + path // as written: unclean paths too
		req.SetBasicAuth("bot@example.com", "token")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := raw("GET", "/rest/api/2/x/../myself"); got != 404 {
		t.Errorf("GET /rest/api/2/x/../myself: status %d; want 404, not the mux's redirect", got)
	}
	// JAX-RS answers HEAD with the GET method when a resource has none of
	// its own (JAX-RS spec, "HEAD and OPTIONS").
	if got := raw("HEAD", "/rest/api/2/issue/OPS-1"); got != 200 {
		t.Errorf("HEAD /rest/api/2/issue/OPS-1: status %d; want 200", got)
	}
}
