package main

import (
	"bytes"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wrapup/wrapup/archive/slackapi"
	"github.com/wrapup/wrapup/internal/demo"
	"github.com/wrapup/wrapup/internal/emustack"
)

// TestExportDistributedApp is issue 10's "tried as a new user would": the
// emulator with a distributed-app world and real rate limits at 60 times
// speed (a minute is a second), and wrapup export with the matching
// WRAPUP_RATE_SCALE. The export completes, slowly, and its output says why
// and what to do.
func TestExportDistributedApp(t *testing.T) {
	world, err := emustack.LoadWorld(filepath.Join("testdata", "worlds", "distributed.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	stack := emustack.New(emustack.Options{RateLimits: true, RateScale: 60, World: world})
	a, err := demo.Archive(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := stack.Seed(a); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(stack)
	t.Cleanup(srv.Close)
	env := map[string]string{"SLACK_TOKEN": "xoxb-test", "SLACK_API_URL": srv.URL + "/api/", "WRAPUP_RATE_SCALE": "60"}
	out := t.TempDir()
	for _, asJSON := range []bool{false, true} {
		var stdout, stderr bytes.Buffer
		args := []string{"export", "--channel", demo.Channel, "--out", out}
		if asJSON {
			args = append(args, "--json")
		}
		if err := run(t.Context(), args, &stdout, &stderr, func(k string) string { return env[k] }); err != nil {
			t.Fatalf("export: %v\nstderr:\n%s", err, stderr.String())
		}
		whole := a.Counts()
		want := []string{"exported #" + demo.Channel, "note: " + slackapi.DistributedLimitsNote}
		if asJSON {
			want = []string{`"messages":` + strconv.Itoa(whole.Messages), `"replies":` + strconv.Itoa(whole.Replies), "make wrapup an internal app"}
		}
		for _, w := range want {
			if !strings.Contains(stdout.String(), w) {
				t.Errorf("json %v: stdout lacks %q:\n%s", asJSON, w, stdout.String())
			}
		}
		if n := strings.Count(stderr.String(), "level=WARN msg=\"Slack is holding this app"); n != 1 {
			t.Errorf("json %v: %d warnings about the limits in the log, want 1:\n%s", asJSON, n, stderr.String())
		}
		if strings.Contains(stdout.String()+stderr.String(), "xoxb-test") {
			t.Error("the token was printed")
		}
	}
	if st := stack.Admin.Stats(); st.RateLimited["conversations.history"]+st.RateLimited["conversations.replies"] == 0 {
		t.Errorf("no 429s on history or replies: the limits did not bite (%v)", st.RateLimited)
	}
}
