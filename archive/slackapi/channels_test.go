package slackapi_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/slackapi"
	"github.com/wrapup/wrapup/archive/slacktest"
)

func TestChannelKinds(t *testing.T) {
	private := threadChannel(t, "G0PRIV", 3)
	private.Channel.Private, private.Channel.Members = true, []string{"U0EMUBOT", "U1"}
	archived := flatChannel(t, "C0ARCH", 4)
	archived.Channel.Archived, archived.Channel.Members = true, []string{"U0EMUBOT"}
	outside := flatChannel(t, "C0OUT", 2)
	secret := flatChannel(t, "G0SECRET", 2)
	secret.Channel.Private, secret.Channel.Name = true, "secret"
	e := start(t, slacktest.Options{}, private, archived, outside, secret)

	for _, tc := range []struct {
		channel string
		seed    *archive.Archive
		joined  bool
	}{
		{"G0PRIV", private, false},
		{"g0priv", private, false},
		{"C0OUT", outside, true},
	} {
		t.Run(tc.channel, func(t *testing.T) {
			res, got := export(t, e.c, tc.channel, slackapi.ExportOptions{})
			if d := diffMessages(tc.seed, got); d != "" {
				t.Errorf("(-seed +exported):\n%s", d)
			}
			if res.Joined != tc.joined {
				t.Errorf("joined %v, want %v", res.Joined, tc.joined)
			}
			if got.Channel.Private != tc.seed.Channel.Private || got.Channel.Archived != tc.seed.Channel.Archived {
				t.Errorf("channel private %v archived %v, want %v %v", got.Channel.Private, got.Channel.Archived,
					tc.seed.Channel.Private, tc.seed.Channel.Archived)
			}
		})
	}
	// Slack removed the app when the channel was archived: it can be
	// neither read nor joined, and the error says so.
	if _, err := e.c.Export(t.Context(), "C0ARCH", slackapi.ExportOptions{}); !errors.Is(err, slackapi.ErrArchived) {
		t.Errorf("export of an archived channel: %v, want ErrArchived", err)
	}
	for _, ch := range []string{"G0SECRET", "secret"} {
		_, err := e.c.Export(t.Context(), ch, slackapi.ExportOptions{})
		if err == nil || !contains(err.Error(), "/invite @wrapup") {
			t.Errorf("%s: err = %v, want advice to invite the app", ch, err)
		}
	}
}

func TestLedgerAndClose(t *testing.T) {
	general := flatChannel(t, "C0GEN", 1)
	general.Channel.General = true
	done := flatChannel(t, "C0DONE", 1)
	done.Channel.Archived = true
	inc := flatChannel(t, "C0INC", 3)
	inc.Channel.Members = []string{"U0EMUBOT"}
	e := start(t, slacktest.Options{WorkspaceURL: "https://acme.slack.com/"}, inc, general, done)
	ctx := t.Context()

	if u, err := e.c.WorkspaceURL(ctx); err != nil || u != "https://acme.slack.com/" {
		t.Errorf("WorkspaceURL = %q, %v", u, err)
	}
	if m, err := e.c.FindMessage(ctx, "C0INC", "wrapup_ledger"); err != nil || m != nil {
		t.Fatalf("FindMessage before posting = %v, %v", m, err)
	}
	md := archive.Metadata{EventType: "wrapup_ledger", EventPayload: json.RawMessage(`{"tickets":{"k1":"OPS-1"}}`)}
	ts, err := e.c.Post(ctx, "C0INC", "Wrap-up: filing tickets", md)
	if err != nil {
		t.Fatal(err)
	}
	md.EventPayload = json.RawMessage(`{"tickets":{"k1":"OPS-1","k2":"OPS-2"}}`)
	if err := e.c.Update(ctx, "C0INC", ts, "Wrap-up: done", md); err != nil {
		t.Fatal(err)
	}
	m, err := e.c.FindMessage(ctx, "C0INC", "wrapup_ledger")
	if err != nil || m == nil {
		t.Fatalf("FindMessage = %v, %v", m, err)
	}
	var payload struct{ Tickets map[string]string }
	_ = json.Unmarshal(m.Metadata.EventPayload, &payload)
	if m.TS != ts || m.Text != "Wrap-up: done" || payload.Tickets["k2"] != "OPS-2" {
		t.Errorf("found %s %q %s, want the updated %s", m.TS, m.Text, m.Metadata.EventPayload, ts)
	}

	if note, err := e.c.Archive(ctx, "C0INC"); err != nil || note != "" {
		t.Errorf("Archive = %q, %v", note, err)
	}
	if note, err := e.c.Archive(ctx, "C0INC"); err != nil || note == "" {
		t.Errorf("archiving twice = %q, %v; want success with a note", note, err)
	}
	if _, err := e.c.Archive(ctx, "C0GEN"); err == nil || !contains(err.Error(), "general channel") {
		t.Errorf("archiving general: %v", err)
	}
	r := start(t, slacktest.Options{Restricted: []string{"conversations.archive"}}, flatChannel(t, "C0R", 1))
	if _, err := r.c.Archive(ctx, "C0R"); err == nil || slackapi.Code(err) != "restricted_action" || !contains(err.Error(), "workspace setting") {
		t.Errorf("restricted: %v", err)
	}
}
