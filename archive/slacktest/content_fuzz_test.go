package slacktest

import (
	"encoding/json"
	"testing"
)

// FuzzParseMetadata: any metadata argument is either refused with one of
// Slack's two metadata errors or accepted as an event type and a payload
// of flat values, on post and on update alike.
func FuzzParseMetadata(f *testing.F) {
	for _, s := range []string{`{}`, `{"event_type":"t","event_payload":{}}`,
		`{"event_type":"t","event_payload":{"a":[1,"x",true],"o":{"k":"v"}}}`,
		`{"event_type":"t","event_payload":{"a":[{"k":"v"}]}}`, `{"event_type":1}`, `null`, `[]`, `"x"`} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, v string, update bool) {
		md, err := parseMetadata(v, update)
		if err != nil {
			if code := err.(*apiError).Code; code != "invalid_metadata_format" && code != "invalid_metadata_schema" {
				t.Fatalf("%q: error %s", v, code)
			}
			return
		}
		if md == nil {
			if !update {
				t.Fatalf("%q: chat.postMessage removed the metadata", v)
			}
			return
		}
		var payload map[string]any
		if md.EventType == "" || json.Unmarshal(md.EventPayload, &payload) != nil || payload == nil {
			t.Fatalf("%q: accepted as %+v", v, md)
		}
		for k, val := range payload {
			switch x := val.(type) {
			case []any:
				for _, e := range x {
					if !scalar(e) {
						t.Fatalf("%q: %s holds a nested %T", v, k, e)
					}
				}
			case map[string]any:
				for _, e := range x {
					if !scalar(e) {
						t.Fatalf("%q: %s holds a nested %T", v, k, e)
					}
				}
			default:
				if !scalar(val) {
					t.Fatalf("%q: %s is %T", v, k, val)
				}
			}
		}
	})
}

func scalar(v any) bool {
	switch v.(type) {
	case string, float64, bool:
		return true
	}
	return false
}
