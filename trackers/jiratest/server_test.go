package jiratest_test

import (
	"testing"
	"time"

	"github.com/wrapup/wrapup/trackers/jiratest"
)

func TestEndpointsAndErrors(t *testing.T) {
	tests := []struct {
		name, dep, method, path string
		noAuth                  bool
		status                  int
		field                   string // a key the body must have
	}{
		{"cloud old search is gone", jiratest.Cloud, "GET", "/rest/api/2/search?jql=project%3DOPS", false, 410, "errorMessages"},
		{"datacenter has no search/jql", jiratest.DataCenter, "GET", "/rest/api/2/search/jql?jql=project%3DOPS", false, 404, "status-code"},
		{"cloud 401", jiratest.Cloud, "GET", "/rest/api/2/issue/OPS-1", true, 401, "status-code"},
		{"datacenter 401", jiratest.DataCenter, "GET", "/rest/api/2/issue/OPS-1", true, 401, "errorMessages"},
		{"unbounded query", jiratest.Cloud, "GET", "/rest/api/2/search/jql?jql=ORDER%20BY%20created", false, 400, "errorMessages"},
		{"bad jql", jiratest.Cloud, "GET", "/rest/api/2/search/jql?jql=project%20%3D", false, 400, "errorMessages"},
		{"no such issue", jiratest.Cloud, "GET", "/rest/api/2/issue/OPS-404", false, 404, "errorMessages"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, base := jiratest.NewTestServer(t, jiratest.Options{Deployment: tt.dep})
			auth := "Bearer x"
			if tt.noAuth {
				auth = ""
			}
			resp, v := do(t, base, tt.method, tt.path, "", map[string]string{"Authorization": auth})
			if resp.StatusCode != tt.status {
				t.Errorf("status %d; want %d", resp.StatusCode, tt.status)
			}
			if _, ok := v.(map[string]any)[tt.field]; !ok {
				t.Errorf("body %v lacks %q", v, tt.field)
			}
		})
	}

	t.Run("wrong credential", func(t *testing.T) {
		_, base := jiratest.NewTestServer(t, jiratest.Options{User: "bot", Token: "right"})
		for _, auth := range []string{"Bearer wrong", "Bearer ", "Basic Ym90Ondyb25n"} {
			resp, _ := do(t, base, "GET", "/rest/api/2/issue/OPS-1", "", map[string]string{"Authorization": auth})
			if resp.StatusCode != 401 {
				t.Errorf("%q: status %d; want 401", auth, resp.StatusCode)
			}
		}
	})
}

// TestSearchDelay: Cloud's /search/jql "doesn't provide read-after-write
// consistency by default [...] The delay might vary from a few seconds to
// minutes" (Atlassian, "Search After Write with Search And Reconcile");
// the world file's jira.search_lag is Options.SearchDelay.
func TestSearchDelay(t *testing.T) {
	now := time.Date(2026, 3, 26, 0, 0, 0, 0, time.UTC)
	_, base := jiratest.NewTestServer(t, jiratest.Options{SearchDelay: time.Minute, Now: func() time.Time { return now }})
	do(t, base, "POST", "/rest/api/2/issue", create, nil)
	count := func() int {
		_, v := do(t, base, "GET", "/rest/api/2/search/jql?jql=project%3DOPS", "", nil)
		return len(v.(map[string]any)["issues"].([]any))
	}
	if n := count(); n != 0 {
		t.Errorf("just created: %d found; want 0", n)
	}
	now = now.Add(time.Minute)
	if n := count(); n != 1 {
		t.Errorf("a minute later: %d found; want 1", n)
	}
}

func TestRemoteLinkIdempotent(t *testing.T) {
	srv, base := jiratest.NewTestServer(t, jiratest.Options{})
	do(t, base, "POST", "/rest/api/2/issue", create, nil)
	for i, want := range []int{201, 200} {
		resp, _ := do(t, base, "POST", "/rest/api/2/issue/OPS-1/remotelink", `{"globalId":"g1","object":{"url":"https://x","title":"t"}}`, nil)
		if resp.StatusCode != want {
			t.Errorf("post %d: status %d; want %d", i, resp.StatusCode, want)
		}
	}
	if n := len(srv.Issues()[0].RemoteLinks); n != 1 {
		t.Errorf("%d links; want 1", n)
	}
}
