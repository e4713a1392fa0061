package slacktest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/wrapup/wrapup/archive/slacktest"
	"github.com/wrapup/wrapup/internal/emulator"
)

// setFaults posts faults to the admin API, as a script would.
func setFaults(t *testing.T, url string, faults ...emulator.Fault) {
	t.Helper()
	b, _ := json.Marshal(faults)
	resp, err := http.Post(url+"/_emulator/faults", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST /_emulator/faults: %s", resp.Status)
	}
}

func TestFaults(t *testing.T) {
	srv, url, c := start(t, slacktest.Options{}, "xoxb-1", threadArchive(t, "C1", 3))
	replies := func() error {
		_, _, _, err := c.GetConversationReplies(&slack.GetConversationRepliesParameters{ChannelID: "C1", Timestamp: sec(0).String()})
		return err
	}
	isStatus := func(code int) func(error) bool {
		return func(err error) bool {
			var e slack.StatusCodeError
			return errors.As(err, &e) && e.Code == code
		}
	}
	for _, tc := range []struct {
		name  string
		fault emulator.Fault
		check func(error) bool
	}{
		{"slack error", emulator.Fault{Error: "internal_error"}, func(err error) bool { return slackCode(err) == "internal_error" }},
		{"http status", emulator.Fault{Status: 503}, isStatus(503)},
		{"retry after", emulator.Fault{RetryAfter: 7}, func(err error) bool {
			var rl *slack.RateLimitedError
			return errors.As(err, &rl) && rl.RetryAfter == 7*time.Second
		}},
		{"truncated body", emulator.Fault{Truncate: true}, func(err error) bool { return err != nil && slackCode(err) != "" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.fault
			f.Service, f.Method, f.After, f.Times = "slack", "conversations.replies", 1, 2
			setFaults(t, url, f)
			want := []bool{false, true, true, false} // after 1 good call, 2 failures
			for i, fails := range want {
				err := replies()
				if got := err != nil && tc.check(err); got != fails {
					t.Errorf("call %d: error %v, want failure %v", i+1, err, fails)
				}
			}
			// Other methods are untouched.
			if _, err := c.AuthTest(); err != nil {
				t.Errorf("auth.test: %v", err)
			}
		})
	}
	setFaults(t, url)
	stats := srv.Admin().Stats()
	if stats.Calls["conversations.replies"] != 16 || stats.RateLimited["conversations.replies"] != 2 {
		t.Errorf("stats: %+v", stats)
	}
}

func TestFaultDelay(t *testing.T) {
	_, url, c := start(t, slacktest.Options{}, "xoxb-1")
	setFaults(t, url, emulator.Fault{Service: "slack", Method: "auth.test", Delay: emulator.Duration(2 * time.Second), Times: 1})
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := c.AuthTestContext(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("delayed call: %v, want the client's deadline", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("the client waited %v", d)
	}
	if _, err := c.AuthTest(); err != nil {
		t.Errorf("the call after the delayed one: %v", err)
	}
}

func TestFaultsRejected(t *testing.T) {
	_, url, _ := start(t, slacktest.Options{}, "xoxb-1")
	for _, body := range []string{`[{"service":"slack","method":"auth.test"}]`, `[{"service":"ftp","status":500}]`, `{`, `[{"statuss":500}]`} {
		resp, err := http.Post(url+"/_emulator/faults", "application/json", bytes.NewReader([]byte(body)))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("faults %s: %s, want 400", body, resp.Status)
		}
	}
}
