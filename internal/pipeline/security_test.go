package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wrapup/wrapup/archive"
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

// TestTicketsRedactedBeforeTheCut: an action item's summary is cut to 200
// characters before redaction; a token straddling the cut must not reach
// the ticket, the result or --json by its first part, nor a poster's name
// by its whole.
func TestTicketsRedactedBeforeTheCut(t *testing.T) {
	e := newEnv(t)
	const token = "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB"
	start := time.Date(2026, 3, 24, 9, 0, 0, 0, time.UTC)
	a := chatopsChannel("C07CUT0001", "incident-2026-03-24-cut", start, time.Hour, false)
	text := "AI: " + strings.Repeat("x", 190) + " " + token + " rotate it"
	const botToken = "xoxb-123456789012-1234567890123-ZyXwVuTsRqPoNmLkJiHgFeDc"
	a.Messages = append(a.Messages, &archive.Message{TS: archive.TSFromTime(start.Add(10 * time.Minute)), Type: "message",
		User: "U07ALICE01", Text: text},
		// A bot whose name someone set to a token: the ticket's "written by".
		&archive.Message{TS: archive.TSFromTime(start.Add(11 * time.Minute)), Type: "message", Subtype: "bot_message",
			BotID: "B0LEAKY", Username: botToken, Text: "AI: check the bot's name"})
	a.Messages, _ = archive.Thread(a.Messages)
	if err := e.stack.Seed(a); err != nil {
		t.Fatal(err)
	}
	res, err := e.run(t, func(o *Options) { o.Channel = "incident-2026-03-24-cut" })
	if err != nil {
		t.Fatalf("%+v %v", res, err)
	}
	out, _ := json.Marshal(res)
	st := mustJSON(t, e.stack.Admin.State())
	if len(res.Tickets) != 2 || !strings.Contains(st, "written by") && !strings.Contains(st, "Written by") {
		t.Errorf("want both items filed, their tickets naming who wrote them: %+v\n%.3000s", res.Tickets, st)
	}
	for _, where := range []string{string(out), st} {
		// Jira's text escapes the token's hyphens: look for its tail.
		if strings.Contains(where, token[:6]) || strings.Contains(where, botToken[len(botToken)-24:]) {
			t.Errorf("the first part of a token cut in two got out:\n%.2000s", where)
		}
	}
}

// TestStepErrorNamesOnce: an error names its operation once ("export
// #incident-x: …", not "export: export #incident-x: …").
func TestStepErrorNamesOnce(t *testing.T) {
	r := &runner{}
	for _, tc := range []struct{ step, err, want string }{
		{"export", "export #incident-x: conversations.history: fatal_error", "export #incident-x: conversations.history: fatal_error"},
		{"file", "searching OPS: 401", "file: searching OPS: 401"},
		{"render", "rendering: x", "render: rendering: x"},
	} {
		if got := r.stepError(context.Background(), tc.step, errors.New(tc.err)).Error(); got != tc.want {
			t.Errorf("stepError(%q, %q) = %q, want %q", tc.step, tc.err, got, tc.want)
		}
	}
}

// TestDryRunPlansSlackWrites: a dry run's Slack writes go to its plan,
// the announce channel's join included, and nothing reaches Slack.
func TestDryRunPlansSlackWrites(t *testing.T) {
	e := newEnv(t)
	if err := e.stack.Slack.Invite("C07CHECKOUT", "U0EMUBOT"); err != nil {
		t.Fatal(err)
	}
	ann := &archive.Archive{Channel: archive.Channel{ID: "C07ANNOUNCE", Name: "incidents-postmortems", Members: []string{"U07ALICE01"}}}
	if err := e.stack.Seed(ann); err != nil {
		t.Fatal(err)
	}
	e.cfg.Close.AnnounceChannel = "incidents-postmortems"
	var plan strings.Builder
	if res, err := e.run(t, func(o *Options) { o.DryRun, o.Plan = true, &plan }); err != nil {
		t.Fatalf("%+v %v", res, err)
	}
	for _, want := range []string{"would post the wrap-up message to #incident-2026-03-26-checkout-errors:",
		"would update the wrap-up message in #incident-2026-03-26-checkout-errors:", "would join #incidents-postmortems",
		"would post the announcement to #incidents-postmortems:", "would archive #incident-2026-03-26-checkout-errors"} {
		if !strings.Contains(plan.String(), want) {
			t.Errorf("the plan lacks %q:\n%s", want, plan.String())
		}
	}
	for _, k := range []string{"chat.postMessage", "chat.update", "conversations.join", "conversations.archive"} {
		if n := e.calls(k); n != 0 {
			t.Errorf("a dry run called %s %d times", k, n)
		}
	}
}
