package githubtest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/wrapup/wrapup/internal/emulator"
	"github.com/wrapup/wrapup/trackers/githubtest"
)

// TestRoutes pins the answers of the router itself, under both layouts:
// a path or method no endpoint takes is GitHub's JSON 404 "Not Found"
// (call fails on a body that is not JSON, such as the mux's "404 page not
// found" or its 405), issues are created through /repos/{owner}/{repo}
// only, a trailing slash is ignored, and a path that is not clean is a
// 404 rather than a redirect.
func TestRoutes(t *testing.T) {
	tests := []struct {
		method, path string
		status       int
	}{
		{"GET", "/repos/octo/ops/nope", 404},
		{"DELETE", "/repos/octo/ops/issues", 404},
		{"PATCH", "/repos/octo/ops", 404},
		{"GET", "/repos/octo/ops/issues/1/x", 404},
		{"GET", "/repos/octo/nope/issues", 404},
		{"GET", "/repositories/x/issues", 404},
		{"POST", "/repositories/515435940/issues", 404},
		{"GET", "/repositories/515435940/issues/1", 200},
		{"GET", "/repos/octo/ops/issues/", 200},
		{"GET", "/repos/octo/ops/labels/BUG", 200},
		{"GET", "/repos/octo/ops/assignees/anyone", 204},
		{"GET", "/repos/octo//ops/issues", 404},
		{"GET", "/repos/octo/x/../ops", 404},
		{"GET", "/installation/repositories/", 404},
		// GitHub's v3 docs, "HTTP verbs": HEAD "can be issued against
		// any resource to get just the HTTP header info".
		{"HEAD", "/repos/octo/ops/issues", 200},
		{"HEAD", "/repos/octo/ops/nope", 404},
	}
	srv, base := githubtest.NewTestServer(t, githubtest.Options{})
	if resp, v := call(t, srv, base, "POST", "/repos/octo/ops/issues", `{"title":"t"}`); resp.StatusCode != 201 {
		t.Fatalf("create: %d %v", resp.StatusCode, v)
	}
	for _, mount := range []string{"", "/api/v3"} {
		for _, tt := range tests {
			t.Run(mount+tt.method+" "+tt.path, func(t *testing.T) {
				resp, v := send(t, tt.method, base+mount, tt.path)
				if resp.StatusCode != tt.status {
					t.Errorf("status %d; want %d", resp.StatusCode, tt.status)
				}
				if tt.status == 404 && tt.method != "HEAD" && (v == nil || v.(map[string]any)["message"] != "Not Found") {
					t.Errorf("body %v; want GitHub's Not Found", v)
				}
			})
		}
	}
}

// TestMountCallKeys: a call under /api/v3 counts, and matches faults, by
// its path without the mount, as DESIGN's emulator section says.
func TestMountCallKeys(t *testing.T) {
	srv, base := githubtest.NewTestServer(t, githubtest.Options{})
	if err := srv.Admin().SetFaults([]emulator.Fault{{Service: "github", Method: "GET", Path: "/repos/octo/ops/issues", Times: 1, Status: 502}}); err != nil {
		t.Fatal(err)
	}
	for _, mount := range []string{"/api/v3", ""} {
		resp, _ := send(t, "GET", base+mount, "/repos/octo/ops/issues")
		if want := map[string]int{"/api/v3": 502, "": 200}[mount]; resp.StatusCode != want {
			t.Errorf("%q: status %d; want %d", mount, resp.StatusCode, want)
		}
	}
	if n := srv.Admin().Stats().Calls["github GET /repos/octo/ops/issues"]; n != 2 {
		t.Errorf("stats: %d calls of github GET /repos/octo/ops/issues; want 2 (%v)", n, srv.Admin().Stats().Calls)
	}
}

// send sends a request as written, path included: the client neither
// cleans it nor follows a redirect.
func send(t *testing.T, method, base, path string) (*http.Response, any) {
	t.Helper()
	req, _ := http.NewRequest(method, base, nil)
	req.URL.Opaque = "//" + req.URL.Host + req.URL.Path + path
	req.Header.Set("Authorization", "Bearer t")
	client := http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	return resp, decode(t, method+" "+path, resp)
}

func decode(t *testing.T, what string, resp *http.Response) any {
	t.Helper()
	b, _ := io.ReadAll(resp.Body)
	if len(b) == 0 {
		return nil
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%s: %v: %s", what, err, b)
	}
	return v
}

// TestLabelURL: a label's "url" is where GitHub serves it, its name
// escaped ("/labels/area%2Fdb"); the emulator answers there too, where a
// router splitting the unescaped path found no such endpoint.
func TestLabelURL(t *testing.T) {
	srv, base := githubtest.NewTestServer(t, githubtest.Options{})
	resp, v := call(t, srv, base, "POST", "/repos/octo/ops/labels", `{"name":"area/db","color":"ededed"}`)
	if resp.StatusCode != 201 {
		t.Fatalf("create: %d %v", resp.StatusCode, v)
	}
	self, _ := v.(map[string]any)["url"].(string)
	path, ok := strings.CutPrefix(self, base+"/api/v3")
	if !ok || !strings.HasSuffix(path, "/labels/area%2Fdb") {
		t.Fatalf("url %q; want it under %s/api/v3, the name escaped", self, base)
	}
	resp, v = send(t, "GET", base+"/api/v3", path)
	if resp.StatusCode != 200 || v.(map[string]any)["name"] != "area/db" {
		t.Errorf("GET %s: %d %v; want the label", path, resp.StatusCode, v)
	}
}

// TestFaultBySentPath: DESIGN "The emulator": a fault's path is the path
// as the client sent it (/api/v3/repos/o/r/issues), or the path without
// the mount, as stats keys show it; both match.
func TestFaultBySentPath(t *testing.T) {
	srv, base := githubtest.NewTestServer(t, githubtest.Options{})
	for _, path := range []string{"/api/v3/repos/octo/ops/issues", "/repos/octo/ops/issues", "/api/v3/repos/octo/*"} {
		if err := srv.Admin().SetFaults([]emulator.Fault{{Service: "github", Method: "GET", Path: path, Times: 1, Status: 502}}); err != nil {
			t.Fatal(err)
		}
		if resp, _ := send(t, "GET", base+"/api/v3", "/repos/octo/ops/issues"); resp.StatusCode != 502 {
			t.Errorf("fault on %s: status %d, want 502", path, resp.StatusCode)
		}
	}
}
