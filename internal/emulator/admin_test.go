package emulator_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/wrapup/wrapup/internal/emulator"
)

func TestBeginAfterTimes(t *testing.T) {
	replies := emulator.Call{Service: "slack", Method: "conversations.replies", HTTPMethod: "POST", Path: "/api/conversations.replies"}
	issue := emulator.Call{Service: "jira", Method: "POST", HTTPMethod: "POST", Path: "/rest/api/2/issue"}
	search := emulator.Call{Service: "jira", Method: "GET", HTTPMethod: "GET", Path: "/rest/api/2/search/jql"}
	for _, tc := range []struct {
		name  string
		fault emulator.Fault
		calls []emulator.Call
		want  []bool // whether each call gets the fault
	}{
		{"after 2, times 1", emulator.Fault{Service: "slack", Method: "conversations.replies", After: 2, Times: 1, Status: 500},
			[]emulator.Call{replies, replies, issue, replies, replies}, []bool{false, false, false, true, false}},
		{"times 0 is every call", emulator.Fault{Service: "jira", Method: "POST", Path: "/rest/api/2/issue", Error: "boom"},
			[]emulator.Call{issue, search, issue}, []bool{true, false, true}},
		{"path prefix", emulator.Fault{Service: "jira", Path: "/rest/api/2/search*", Status: 410, Times: 1},
			[]emulator.Call{issue, search, search}, []bool{false, true, false}},
		{"http method matches slack calls", emulator.Fault{Service: "slack", Method: "post", Status: 502},
			[]emulator.Call{replies, issue}, []bool{true, false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := emulator.New()
			if err := a.SetFaults([]emulator.Fault{tc.fault}); err != nil {
				t.Fatal(err)
			}
			var got []bool
			for _, c := range tc.calls {
				got = append(got, a.Begin(c) != nil)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("faulted calls (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAdminHTTP(t *testing.T) {
	a := emulator.New()
	a.Register("slack", func() any { return map[string]any{"posted": []string{"hi"}} })
	a.Register("jira", func() any { return map[string]any{"issues": []string{}} })
	srv := httptest.NewServer(a)
	defer srv.Close()

	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			a.Begin(emulator.Call{Service: "slack", Method: "auth.test", HTTPMethod: "POST", Path: "/api/auth.test"})
			a.Begin(emulator.Call{Service: "jira", Method: "POST", HTTPMethod: "POST", Path: "/rest/api/2/issue"})
		})
	}
	wg.Wait()
	a.RateLimited(emulator.Call{Service: "slack", Method: "auth.test", HTTPMethod: "POST"})

	get := func(path string) string {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %s %s", path, resp.Status, b)
		}
		return string(b)
	}
	var stats emulator.Stats
	if err := json.Unmarshal([]byte(get("/_emulator/stats")), &stats); err != nil {
		t.Fatal(err)
	}
	want := emulator.Stats{Calls: map[string]int{"auth.test": 8, "jira POST /rest/api/2/issue": 8}, RateLimited: map[string]int{"auth.test": 1}}
	if diff := cmp.Diff(want, stats); diff != "" {
		t.Errorf("stats (-want +got):\n%s", diff)
	}
	var state map[string]map[string][]string
	if err := json.Unmarshal([]byte(get("/state")), &state); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]map[string][]string{"slack": {"posted": {"hi"}}, "jira": {"issues": {}}}, state); diff != "" {
		t.Errorf("state (-want +got):\n%s", diff)
	}

	post := func(body string) int {
		t.Helper()
		resp, err := http.Post(srv.URL+"/_emulator/faults", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, tc := range []struct {
		body   string
		status int
		faults int
	}{
		{`[{"service":"slack","method":"conversations.replies","after":2,"times":1,"status":500,"delay":"1.5s"}]`, 200, 1},
		{`[{"service":"github","retry_after":3},{"service":"jira","truncate":true,"delay":0.25}]`, 200, 2},
		{`[]`, 200, 0},
		{`[{"service":"slack"}]`, 400, 0},
		{`[{"service":"slack","status":5000}]`, 400, 0},
		{`[{"service":"slack","delay":"soon"}]`, 400, 0},
	} {
		t.Run(tc.body, func(t *testing.T) {
			if got := post(tc.body); got != tc.status {
				t.Errorf("status %d, want %d", got, tc.status)
			}
			if got := len(a.Faults()); got != tc.faults {
				t.Errorf("%d faults, want %d", got, tc.faults)
			}
		})
	}
	_ = post(`[{"service":"jira","truncate":true,"delay":0.25}]`)
	if d := a.Faults()[0].Delay; time.Duration(d) != 250*time.Millisecond {
		t.Errorf("delay 0.25 read as %v", time.Duration(d))
	}
	if got := get("/_emulator/faults"); !strings.Contains(got, `"delay": "250ms"`) {
		t.Errorf("GET faults: %s", got)
	}
}

func TestTruncator(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tr := emulator.NewTruncator(w)
		tr.Header().Set("Content-Type", "application/json")
		fmt.Fprint(tr, `{"ok":true,"messages":["a","b","c","d"]}`)
		tr.Finish()
	}))
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err == nil {
		t.Errorf("read the whole body %q without an error", b)
	}
	if len(b) == 0 || len(b) >= 40 {
		t.Errorf("got %d bytes, want a part of the body", len(b))
	}
}
