package slackapi_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/wrapup/wrapup/archive/slackapi"
)

// TestHostileChannelIDs: channel IDs name checkpoint and staging files, so
// an API (a broken or hostile SLACK_API_URL) that answers with an ID that
// is not one is refused, never used in a path.
func TestHostileChannelIDs(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.HasSuffix(r.URL.Path, "/conversations.list"):
			w.Write([]byte(`{"ok":true,"channels":[{"id":"C1/../../../tmp/x","name":"incident-evil"}],"response_metadata":{"next_cursor":""}}`))
		case strings.HasSuffix(r.URL.Path, "/conversations.info"):
			w.Write([]byte(`{"ok":true,"channel":{"id":"C9/../../x","name":"incident-evil"}}`))
		default:
			w.Write([]byte(`{"ok":false,"error":"unknown_method"}`))
		}
	}))
	defer srv.Close()
	c := slackapi.New("xoxb-test", slackapi.Options{APIURL: srv.URL, Limiter: slackapi.NewLimiter(1000)})
	ctx := context.Background()
	if id, err := c.Resolve(ctx, "incident-evil"); err == nil || !strings.Contains(err.Error(), "not a Slack channel ID") {
		t.Errorf("Resolve = %q, %v; want the ID refused", id, err)
	}
	if _, err := c.ListChannels(ctx, "incident-"); err == nil || !strings.Contains(err.Error(), "not a Slack channel ID") {
		t.Errorf("ListChannels: %v; want the ID refused", err)
	}
	if _, err := c.Info(ctx, "C0GOOD"); err == nil || !strings.Contains(err.Error(), "another channel") {
		t.Errorf("Info: %v; want the other ID refused", err)
	}
}
