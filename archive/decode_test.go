package archive

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// stdDecode is what encoding/json makes of b: the reference decodeMessage
// must equal.
func stdDecode(b []byte) (*Message, error) {
	m := new(Message)
	w := messageWire{messageFields: (*messageFields)(m)}
	if err := json.Unmarshal(b, &w); err != nil {
		return nil, err
	}
	m.Blocks = json.RawMessage(w.Blocks)
	return m, nil
}

var decodeSeeds = []string{
	`{"type":"message","ts":"1712345678.000100","user":"U1","text":"hello","blocks":[{"type":"rich_text"}]}`,
	`{"ts":1712345678.000100,"reply_count":"3","latest_reply":"0000000000.000000","thread_ts":"1.000000"}`,
	`{"ts":"1.000001","text":"caf\u00e9 \ud83d\udd25 \"q\" \\ \/","username":"b\u00f6t"}`,
	`{"ts":"1.000001","text":"日本語 ok","files":[{"id":"F1","size":"12"}],"reactions":[{"name":"x","users":["U1"],"count":1}]}`,
	`{"ts":"1.000001","edited":{"user":"U1","ts":"2.000000"},"metadata":{"event_type":"wrapup_ledger","event_payload":{"a":[1,2.5e3,-0,true,false,null]}}}`,
	`{"ts":"1.000001","bot_profile":{"name":"Dispatch","app_id":"A1"},"attachments":[{"text":"t","fields":[{"title":"a","value":"b"}]}]}`,
	`{"TS":"1.000001","Text":"case variants"}`,
	`{"ts":"1.000001","text":null,"blocks":null,"unknown":{"deep":[[[{}]]]}}`,
	`{"ts":"1.000001","text":"dup","text":"last wins"}`,
	`{"ts":"1.000001","text":"bad \xff utf8"}`,
	`{"ts":"1.000001","text":5}`,
	`{"ts":"1.000001","x":01}`,
	`{"ts":"1.000001","x":"\x01"}`,
	`{"ts":"1.000001","x":tru}`,
	`{"ts":"1.000001",}`,
	`{"ts":"1.000001"} x`,
	`[]`,
	` {"ts" : "1.000001" , "t\u0065xt" : "escaped key" } `,
}

func TestDecodeMessageMatchesEncodingJSON(t *testing.T) {
	for _, s := range decodeSeeds {
		t.Run(s, func(t *testing.T) { checkDecode(t, []byte(s)) })
	}
}

func checkDecode(t *testing.T, b []byte) {
	t.Helper()
	want, werr := stdDecode(b)
	got := new(Message)
	gerr := decodeMessage(b, got)
	if (werr == nil) != (gerr == nil) {
		t.Fatalf("encoding/json err %v, decodeMessage err %v", werr, gerr)
	}
	if werr != nil {
		return
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("decodeMessage differs from encoding/json (-std +fast):\n%s", diff)
	}
}

func FuzzDecodeMessage(f *testing.F) {
	for _, s := range decodeSeeds {
		f.Add([]byte(s))
	}
	days, _ := filepath.Glob("slackexport/testdata/export/*/*.json")
	for _, d := range days {
		data, _ := os.ReadFile(d)
		var raws []json.RawMessage
		json.Unmarshal(data, &raws)
		for _, r := range raws {
			f.Add([]byte(r))
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) { checkDecode(t, b) })
}

func BenchmarkDecodeMessage(b *testing.B) {
	msg := []byte(`{"type":"message","user":"U0SYN00003","text":"latency p99 api-gateway deploy rollback database replica lag","ts":"1774533731.000100","blocks":[{"type":"rich_text","block_id":"b123","elements":[{"type":"rich_text_section","elements":[{"type":"text","text":"latency p99 api-gateway deploy rollback database replica lag"}]}]}],"client_msg_id":"6f1c9a2e-0000-4000-8000-000000000001","team":"T0SYN"}`)
	b.Run("fast", func(b *testing.B) {
		b.SetBytes(int64(len(msg)))
		for b.Loop() {
			var m Message
			if err := decodeMessage(msg, &m); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(msg)))
		for b.Loop() {
			if _, err := stdDecode(msg); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestFoldsToKnown: foldsToKnown agrees with strings.EqualFold against
// every key of the same length, for case variants, the runes that fold to
// ASCII letters (K, ſ), other Unicode and keys that are not there.
func TestFoldsToKnown(t *testing.T) {
	ref := func(key string) bool {
		for k := range messageKeys {
			if len(k) == len(key) && strings.EqualFold(k, key) {
				return true
			}
		}
		return false
	}
	keys := []string{"", "x", "client_msg_id", "team", "Ts", "TS", "tS", "THREAD_TS", "Thread_Ts", "\u212Aey", "ſubtype", "subtypeſ",
		"bot_\u212Aid", "username_", "parent_user_id_long", "ÜSER", "usér", "blockS", "METADATA", "reply_count\x00"}
	for k := range messageKeys {
		keys = append(keys, k, strings.ToUpper(k), strings.ToUpper(k[:1])+k[1:])
	}
	for _, k := range keys {
		if got, want := foldsToKnown([]byte(k)), ref(k); got != want {
			t.Errorf("foldsToKnown(%q) = %v, EqualFold says %v", k, got, want)
		}
	}
}

func FuzzFoldsToKnown(f *testing.F) {
	f.Add("Thread_TS")
	f.Add("ſubtype")
	f.Fuzz(func(t *testing.T, k string) {
		want := false
		for known := range messageKeys {
			if len(known) == len(k) && strings.EqualFold(known, k) {
				want = true
			}
		}
		if got := foldsToKnown([]byte(k)); got != want {
			t.Errorf("foldsToKnown(%q) = %v, want %v", k, got, want)
		}
	})
}
