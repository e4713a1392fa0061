package slackexport

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/wrapup/wrapup/archive"
)

func FuzzDecodeDay(f *testing.F) {
	days, _ := filepath.Glob("testdata/export/*/*.json")
	for _, d := range days {
		b, err := os.ReadFile(d)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`[{"ts":1.5,"reply_count":"3","thread_ts":"1.000000"}]`))
	f.Add([]byte(`[{"ts":"1.000001","files":[{"id":"F1","url_private":"https://x/y?t=xoxe-1-2"}]}]`))
	f.Add([]byte(`[{"ts":"1.000001","blocks":[{"type":"rich_text","elements":[{"type":"rich_text_list","elements":[{"type":"user"}]}]}]}]`))
	// The shapes of issue 14: a parent listing its replies as slackdump
	// and slack-export-viewer read them, and one that lists none.
	f.Add([]byte(`[{"ts":"1.000001","thread_ts":"1.000001","reply_count":2,"reply_users":["U1"],"replies":[{"user":"U1","ts":"1.000002"},{"user":"B1","ts":"1.000003"}]},` +
		`{"ts":"1.000002","thread_ts":"1.000001","user":"U1","files":[{"id":"F1","name":"a/b.png"}]},{"ts":"1.000003","thread_ts":"1.000001","bot_id":"B1","subtype":"bot_message"}]`))
	f.Add([]byte("[\n  {\n    \"ts\": \"1.000001\",\n    \"thread_ts\": \"1.000001\"\n  },\n  {\"ts\":\"1.000002\",\"thread_ts\":\"1.000001\",\"user\":\"U1\"}\n]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		msgs, err := decodeDay("c/2026-01-01.json", data)
		if err != nil {
			return
		}
		for _, m := range msgs {
			if m.TS == 0 {
				t.Fatal("accepted a message without ts")
			}
			if !json.Valid(m.Raw) {
				t.Fatalf("raw is not JSON: %q", m.Raw)
			}
			_ = m.ContentText()
		}
		roots, _ := archive.Thread(msgs)
		a := &archive.Archive{Messages: roots}
		var n int
		for range a.All() {
			n++
		}
		if c := a.Counts(); c.Messages+c.Replies != n {
			t.Fatalf("counts %+v but %d messages", c, n)
		}
		// What Write puts in a day file decodes back to the same message.
		for m := range a.All() {
			b, err := dayMessage{m}.MarshalJSON()
			if err != nil {
				t.Fatalf("message %s: %v", m.TS, err)
			}
			back, err := archive.DecodeMessage(b)
			if err != nil {
				t.Fatalf("written %q does not decode: %v", b, err)
			}
			if back.TS != m.TS || back.ThreadTS != m.ThreadTS || back.Text != m.Text {
				t.Fatalf("written %q decodes to another message than %q", b, m.Raw)
			}
		}
	})
}
