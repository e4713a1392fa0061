package githubtest_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/wrapup/wrapup/trackers/githubtest"
)

// TestHooks: what people do on GitHub (merge or close a pull request,
// push a commit to a branch) is served on the admin API, for scripts that
// cannot call the Go methods; bad requests are 400s that say what is
// wanted.
func TestHooks(t *testing.T) {
	srv, base := githubtest.NewTestServer(t, githubtest.Options{})
	admin := httptest.NewServer(srv.Admin())
	t.Cleanup(admin.Close)
	hook := func(name, body string) (int, map[string]any) {
		t.Helper()
		resp, err := http.Post(admin.URL+"/_emulator/github/"+name, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var v map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, v
	}
	main, _ := srv.Branch("octo/ops", "main")
	open := func(branch string) int {
		t.Helper()
		if resp, v := call(t, srv, base, "POST", "/repos/octo/ops/git/refs", `{"ref":"refs/heads/`+branch+`","sha":"`+main+`"}`); resp.StatusCode != 201 {
			t.Fatalf("branch: %d %v", resp.StatusCode, v)
		}
		if code, v := hook("push", `{"repo":"octo/ops","branch":"`+branch+`","author":"alice","files":{"doc.md":"# Hi\n","README.md":null}}`); code != 200 || v["sha"] == "" {
			t.Fatalf("push: %d %v", code, v)
		}
		resp, v := call(t, srv, base, "POST", "/repos/octo/ops/pulls", `{"title":"t","head":"`+branch+`","base":"main"}`)
		if resp.StatusCode != 201 {
			t.Fatalf("pull: %d %v", resp.StatusCode, v)
		}
		return int(v.(map[string]any)["number"].(float64))
	}
	a, b := open("a"), open("b")
	sha, files := srv.Branch("octo/ops", "a")
	if string(files["doc.md"]) != "# Hi\n" || files["README.md"] != nil || sha == main {
		t.Errorf("branch a after the push: %s %q", sha, files)
	}
	if code, v := hook("merge", `{"repo":"octo/ops","number":`+strconv.Itoa(a)+`}`); code != 200 || v["state"] != "merged" {
		t.Errorf("merge: %d %v", code, v)
	}
	if code, v := hook("close", `{"repo":"octo/ops","number":`+strconv.Itoa(b)+`}`); code != 200 || v["state"] != "closed" {
		t.Errorf("close: %d %v", code, v)
	}
	pulls := srv.Pulls("octo/ops")
	states := map[int]string{}
	for _, p := range pulls {
		states[p.Number] = p.State
	}
	if states[a] != "merged" || states[b] != "closed" {
		t.Errorf("states %v", states)
	}
	if _, files := srv.Branch("octo/ops", "main"); string(files["doc.md"]) != "# Hi\n" {
		t.Errorf("main after the merge: %q", files)
	}
	for _, c := range []struct{ name, body, says string }{
		{"merge", `{"repo":"octo/ops","number":` + strconv.Itoa(a) + `}`, "no open pull request"},
		{"close", `{"repo":"octo/nope","number":1}`, "no repository octo/nope"},
		{"merge", `{"repo":"octo/ops"}`, `want {"repo"`},
		{"merge", `{"repo":"octo/ops","number":1,"sha":"x"}`, "unknown field"},
		{"push", `{"repo":"octo/ops","branch":"nope","author":"alice","files":{"x":"y"}}`, "has no branch nope"},
		{"push", `{"repo":"octo/ops","branch":"a","author":"alice"}`, `"files"`},
		{"push", `not json`, "bad JSON"},
	} {
		if code, v := hook(c.name, c.body); code != 400 || !strings.Contains(v["error"].(string), c.says) {
			t.Errorf("%s %s: %d %v, want 400 saying %q", c.name, c.body, code, v, c.says)
		}
	}
	resp, err := http.Get(admin.URL + "/_emulator/github/merge")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 405 || resp.Header.Get("Allow") != "POST" {
		t.Errorf("GET merge: %d Allow %q", resp.StatusCode, resp.Header.Get("Allow"))
	}
}
