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
	// Go's client cleans "..", so the unclean path goes out raw.
	req, _ := http.NewRequest("GET", base+"/rest/api/2/myself", nil)
	req.URL.Opaque = "//" + req.URL.Host + "/rest/api/2/x/../myself"
	req.SetBasicAuth("bot@example.com", "token")
	client := http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("GET /rest/api/2/x/../myself: status %d; want 404, not the mux's redirect", resp.StatusCode)
	}
}
