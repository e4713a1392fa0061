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
	})
}
