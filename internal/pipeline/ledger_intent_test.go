package pipeline

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/wrapup/wrapup/archive"
)

// TestPayloadIntents: the intents travel in the wrap-up message's metadata
// as flat parallel arrays (Slack refuses nested payloads:
// invalid_metadata_format, "Message metadata" docs), times in whole
// seconds rounded up so that a wait measured from them is never short;
// arrays of different lengths are an error naming the message.
func TestPayloadIntents(t *testing.T) {
	at := time.Date(2026, 3, 26, 15, 0, 0, 1, time.UTC)
	var p Payload
	p.setIntents(map[string]time.Time{"b": at, "a": at.Truncate(time.Second)})
	raw := payloadMetadata(p).EventPayload
	if !strings.Contains(string(raw), `"intent_keys":["a","b"]`) || !strings.Contains(string(raw), `"intent_at":[1774537200,1774537201]`) {
		t.Errorf("payload %s", raw)
	}
	ts, err := archive.ParseTS("1774537300.000100")
	if err != nil {
		t.Fatal(err)
	}
	m := &archive.Message{TS: ts, Metadata: &archive.Metadata{EventPayload: raw}}
	var back Payload
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	got, err := back.intents()
	if err != nil || !got["b"].Equal(at.Truncate(time.Second).Add(time.Second)) || !got["a"].Equal(at.Truncate(time.Second)) {
		t.Errorf("intents %v, %v", got, err)
	}
	var none Payload
	none.setTickets(nil)
	none.setIntents(nil)
	if b := payloadMetadata(none).EventPayload; strings.Contains(string(b), "intent") || strings.Contains(string(b), "null") {
		t.Errorf("no intents: payload %s", b)
	}
	m.Metadata.EventPayload = []byte(`{"state":"filing","ticket_keys":[],"ticket_trackers":[],"ticket_ids":[],"ticket_urls":[],"intent_keys":["a","b"],"intent_at":[1]}`)
	if _, err := newSlackLedger(nil, "C1", m, claim{}, "t", nil); err == nil || !strings.Contains(err.Error(), "1774537300.000100") || !strings.Contains(err.Error(), "intent") {
		t.Errorf("err = %v; want one naming the message and its intent arrays", err)
	}
}
