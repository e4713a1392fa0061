package pipeline

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestTitleRedacted: the incident title reaches stdout and --json (and so
// CI logs); a token pasted into it is redacted there as in the documents.
func TestTitleRedacted(t *testing.T) {
	e := newEnv(t)
	const token = "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"
	start := time.Date(2026, 3, 23, 9, 0, 0, 0, time.UTC)
	a := chatopsChannel("C07TOKEN01", "incident-2026-03-23-token", start, time.Hour, false)
	a.Messages[0].Text = ":rotating_light: Incident declared: *Bot token " + token + " leaked* (SEV2) — commander <@U07ALICE01>"
	if err := e.stack.Seed(a); err != nil {
		t.Fatal(err)
	}
	res, err := e.run(t, func(o *Options) { o.Channel = "incident-2026-03-23-token" })
	if err != nil {
		t.Fatalf("%+v %v", res, err)
	}
	out, _ := json.Marshal(res)
	if strings.Contains(string(out), token) || !strings.Contains(res.Title, "Bot token") {
		t.Errorf("the result shows the token: title %q", res.Title)
	}
	for _, m := range mustPosted(t, e.stack.Admin.State()) {
		if strings.Contains(m.Text, token) {
			t.Errorf("a posted message shows the token: %q", m.Text)
		}
	}
}
