package jiratest_test

import (
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrapup/wrapup/internal/testenv"
	"github.com/wrapup/wrapup/trackers/jiratest"
)

func recorded(t *testing.T, rel string) any {
	t.Helper()
	path := filepath.Join(testenv.Conformance(t), "trackers", "jira", rel)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return v
}

func keys(v any) []string {
	m, _ := v.(map[string]any)
	return slices.Sorted(maps.Keys(m))
}

func obj(v any, path ...any) any {
	for _, p := range path {
		switch p := p.(type) {
		case string:
			v = v.(map[string]any)[p]
		case int:
			v = v.([]any)[p]
		}
	}
	return v
}

// subset fails unless every key of got is one of rec's: the emulator may
// leave fields out, never invent them.
func subset(t *testing.T, what string, rec, got any) {
	t.Helper()
	have := map[string]bool{}
	for _, k := range keys(rec) {
		have[k] = true
	}
	for _, k := range keys(got) {
		if !have[k] && !strings.HasPrefix(k, "customfield_") && k != "parent" {
			t.Errorf("%s: key %q is not in the recording (%v)", what, k, keys(rec))
		}
	}
}

func do(t *testing.T, base, method, path, body string, hdr map[string]string) (*http.Response, any) {
	t.Helper()
	req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
	req.SetBasicAuth("bot@example.com", "token")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var v any
	if resp.StatusCode == http.StatusNoContent && len(b) == 0 {
		return resp, nil
	}
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%s %s: %v: %s", method, path, err, b)
	}
	return resp, v
}

var jiraDate = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d{4}$`)

const create = `{"fields":{"project":{"key":"OPS"},"issuetype":{"name":"Task"},"summary":"s","description":"d","labels":["wrapup-k1"]}}`

func TestConformance(t *testing.T) {
	const ruby = "jira-ruby/spec/mock_responses/"
	const cypress = "cypress-xray-plugin/test/resources/fixtures/jira/responses/"

	t.Run("create, get, comment, remote link", func(t *testing.T) {
		_, base := jiratest.NewTestServer(t, jiratest.Options{})
		resp, got := do(t, base, "POST", "/rest/api/2/issue", create, nil)
		if resp.StatusCode != 201 {
			t.Fatalf("create: %d %v", resp.StatusCode, got)
		}
		if diff := cmp.Diff(keys(recorded(t, ruby+"issue.post.json")), keys(got)); diff != "" {
			t.Errorf("create keys (-recorded +emulated):\n%s", diff)
		}
		if ct := resp.Header.Get("Content-Type"); ct != "application/json;charset=UTF-8" {
			t.Errorf("Content-Type %q", ct)
		}
		key := got.(map[string]any)["key"].(string)

		_, issue := do(t, base, "GET", "/rest/api/2/issue/"+key, "", nil)
		rec := recorded(t, ruby+"issue/10002.json")
		if diff := cmp.Diff(keys(rec), keys(issue)); diff != "" {
			t.Errorf("issue keys (-recorded +emulated):\n%s", diff)
		}
		subset(t, "fields", obj(rec, "fields"), obj(issue, "fields"))
		sprint := recorded(t, "go-jira-v1.17.0/mocks/issues_in_sprint.json")
		for _, f := range []string{"status", "issuetype", "project"} {
			subset(t, f, obj(sprint, "issues", 0, "fields", f), obj(issue, "fields", f))
		}
		for _, d := range []any{obj(rec, "fields", "created"), obj(sprint, "issues", 0, "fields", "created"), obj(issue, "fields", "created")} {
			if !jiraDate.MatchString(d.(string)) {
				t.Errorf("date %q is not shaped like Jira's", d)
			}
		}

		_, c := do(t, base, "POST", "/rest/api/2/issue/"+key+"/comment", `{"body":"hi"}`, nil)
		if diff := cmp.Diff(keys(recorded(t, ruby+"issue/10002/comment.post.json")), keys(c)); diff != "" {
			t.Errorf("comment keys (-recorded +emulated):\n%s", diff)
		}

		do(t, base, "POST", "/rest/api/2/issue/"+key+"/remotelink", `{"globalId":"g","object":{"url":"https://x","title":"t"}}`, nil)
		_, links := do(t, base, "GET", "/rest/api/2/issue/"+key+"/remotelink", "", nil)
		recLinks := recorded(t, "go-jira-v1.17.0/mocks/remote_links.json")
		subset(t, "remote link", obj(recLinks, 0), obj(links, 0))
		subset(t, "remote link object", obj(recLinks, 0, "object"), obj(links, 0, "object"))
	})

	t.Run("errors", func(t *testing.T) {
		_, base := jiratest.NewTestServer(t, jiratest.Options{})
		resp, got := do(t, base, "POST", "/rest/api/2/issue", `{"fields":{"project":{"key":"OPS"},"issuetype":{"name":"Task"},"summary":"a\nb"}}`, nil)
		if resp.StatusCode != 400 {
			t.Errorf("status %d", resp.StatusCode)
		}
		for _, f := range []string{"issue/10002.invalid.put.json", "issue/10002.put.missing_field_update.json"} {
			if diff := cmp.Diff(keys(recorded(t, ruby+f)), keys(got)); diff != "" {
				t.Errorf("400 keys vs %s (-recorded +emulated):\n%s", f, diff)
			}
		}
		_, got = do(t, base, "GET", "/rest/api/2/issue/OPS-99", "", nil)
		if diff := cmp.Diff(keys(recorded(t, "go-jira-v1.17.0/mocks/no_role.json")), keys(got)); diff != "" {
			t.Errorf("404 keys (-recorded +emulated):\n%s", diff)
		}
	})

	t.Run("search", func(t *testing.T) {
		for _, dep := range []string{jiratest.Cloud, jiratest.DataCenter} {
			t.Run(dep, func(t *testing.T) {
				_, base := jiratest.NewTestServer(t, jiratest.Options{Deployment: dep, MaxResults: 1})
				auth := map[string]string{"Authorization": "Bearer pat"}
				for range 2 {
					do(t, base, "POST", "/rest/api/2/issue", create, auth)
				}
				jql := "?jql=project%20%3D%20OPS&maxResults=1"
				if dep == jiratest.DataCenter {
					_, page := do(t, base, "GET", "/rest/api/2/search"+jql, "", auth)
					rec := recorded(t, cypress+"searchServer.json")
					if diff := cmp.Diff(keys(rec), keys(page)); diff != "" {
						t.Errorf("page keys (-recorded +emulated):\n%s", diff)
					}
					if diff := cmp.Diff(keys(obj(rec, "issues", 0)), keys(obj(page, "issues", 0))); diff != "" {
						t.Errorf("issue keys (-recorded +emulated):\n%s", diff)
					}
					return
				}
				_, page := do(t, base, "GET", "/rest/api/2/search/jql"+jql, "", auth)
				rec := recorded(t, cypress+"searchCloud1.json")
				if diff := cmp.Diff(keys(rec), keys(page)); diff != "" {
					t.Errorf("first page keys (-recorded +emulated):\n%s", diff)
				}
				if diff := cmp.Diff(keys(obj(rec, "issues", 0)), keys(obj(page, "issues", 0))); diff != "" {
					t.Errorf("issue keys (-recorded +emulated):\n%s", diff)
				}
				token := page.(map[string]any)["nextPageToken"].(string)
				_, last := do(t, base, "GET", "/rest/api/2/search/jql"+jql+"&nextPageToken="+token, "", auth)
				if diff := cmp.Diff(keys(recorded(t, cypress+"searchCloud3.json")), keys(last)); diff != "" {
					t.Errorf("last page keys (-recorded +emulated):\n%s", diff)
				}
			})
		}
	})
}
