package slackapi_test

import (
	"encoding/json"
	"testing"

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/slackapi"
	"github.com/wrapup/wrapup/archive/slacktest"
	"github.com/wrapup/wrapup/internal/emulator"
)

func TestDelete(t *testing.T) {
	inc := flatChannel(t, "C0INC", 2)
	inc.Channel.Members = []string{"U0EMUBOT"}
	e := start(t, slacktest.Options{}, inc)
	ctx := t.Context()
	ts, err := e.c.Post(ctx, "C0INC", "claim", archive.Metadata{EventType: "wrapup_ledger", EventPayload: json.RawMessage(`{}`)})
	if err != nil {
		t.Fatal(err)
	}
	// A 5xx first: deleting is idempotent, so it is retried.
	e.faults(t, emulator.Fault{Service: "slack", Method: "chat.delete", Times: 1, Status: 500})
	if err := e.c.Delete(ctx, "C0INC", ts); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if m, err := e.c.FindMessage(ctx, "C0INC", "wrapup_ledger"); err != nil || m != nil {
		t.Errorf("FindMessage after Delete = %v, %v; want nothing", m, err)
	}
	if st := e.srv.Admin().Stats(); st.Calls["chat.delete"] != 2 {
		t.Errorf("chat.delete called %d times, want 2 (a failure and its retry)", st.Calls["chat.delete"])
	}
	// Already gone (message_not_found) is success.
	if err := e.c.Delete(ctx, "C0INC", ts); err != nil {
		t.Errorf("Delete of a deleted message: %v", err)
	}
	// Someone else's message is not the app's to delete.
	err = e.c.Delete(ctx, "C0INC", sec(0))
	if slackapi.Code(err) != "cant_delete_message" || !contains(err.Error(), "its own messages") {
		t.Errorf("Delete of another user's message: %v", err)
	}
}
