package slackexport

import (
	"encoding/json"
	"testing"
)

func TestPatchObject(t *testing.T) {
	replies := field{key: "replies", value: []byte(`[{"user":"U1","ts":"1.000002"}]`)}
	count := field{key: "reply_count", value: []byte(`1`), ifMissing: true}
	for _, tc := range []struct {
		name, in, want string
		fields         []field
	}{
		{"appended compactly", `{"ts":"1.000001"}`, `{"ts":"1.000001","replies":[{"user":"U1","ts":"1.000002"}],"reply_count":1}`,
			[]field{replies, count}},
		{"appended in the object's own layout",
			"{\n    \"ts\": \"1.000001\",\n    \"text\": \"hi\"\n}",
			"{\n    \"ts\": \"1.000001\",\n    \"text\": \"hi\",\n    \"replies\": [{\"user\":\"U1\",\"ts\":\"1.000002\"}]\n}",
			[]field{replies}},
		{"replaced where it stands", `{"replies": [{"user":"U9","ts":"9"}], "ts":"1.000001"}`,
			`{"replies": [{"user":"U1","ts":"1.000002"}], "ts":"1.000001"}`, []field{replies}},
		{"ifMissing keeps the source's value", `{"ts":"1.000001","reply_count":"7"}`, `{"ts":"1.000001","reply_count":"7"}`,
			[]field{count}},
		{"every duplicate replaced", `{"replies":1,"replies":2}`,
			`{"replies":[{"user":"U1","ts":"1.000002"}],"replies":[{"user":"U1","ts":"1.000002"}]}`, []field{replies}},
		{"an escaped key is the same key", `{"re\u0070lies":null}`, `{"re\u0070lies":[{"user":"U1","ts":"1.000002"}]}`,
			[]field{replies}},
		{"empty object", `{ }`, `{"reply_count":1 }`, []field{count}},
		{"nested objects left alone", `{"a":{"replies":[]},"b":"}"}`, `{"a":{"replies":[]},"b":"}","replies":[{"user":"U1","ts":"1.000002"}]}`,
			[]field{replies}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := patchObject([]byte(tc.in), tc.fields)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
	for _, bad := range []string{``, `[]`, `"x"`, `{"a":1`, `{"a":1} {}`, `{"a":}`} {
		if got, err := patchObject([]byte(bad), []field{replies}); err == nil {
			t.Errorf("patchObject(%q) = %s, want an error", bad, got)
		}
	}
}

func FuzzPatchObject(f *testing.F) {
	f.Add([]byte(`{"ts":"1.000001","replies":[{"user":"U1","ts":"1.000002"}],"reply_count":"1"}`))
	f.Add([]byte("{\n\t\"ts\" : \"1.000001\" ,\n\t\"reply_users\":[\"U1\"]\n}"))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, obj []byte) {
		fields := []field{{key: "replies", value: []byte(`[{"user":"U1","ts":"1.000002"}]`)},
			{key: "reply_count", value: []byte(`1`), ifMissing: true}}
		out, err := patchObject(obj, fields)
		if err != nil {
			return
		}
		var before, after map[string]json.RawMessage
		if err := json.Unmarshal(obj, &before); err != nil {
			return // json.Decoder is laxer than Unmarshal about invalid UTF-8 only; nothing to compare
		}
		if err := json.Unmarshal(out, &after); err != nil {
			t.Fatalf("patched %q into invalid JSON %q: %v", obj, out, err)
		}
		if string(after["replies"]) != `[{"user":"U1","ts":"1.000002"}]` {
			t.Fatalf("replies = %s in %q", after["replies"], out)
		}
		if c, had := before["reply_count"]; had && string(after["reply_count"]) != string(c) {
			t.Fatalf("reply_count %s became %s", c, after["reply_count"])
		}
		for k, v := range before {
			if k != "replies" && string(after[k]) != string(v) {
				t.Fatalf("%s: %s became %s", k, v, after[k])
			}
		}
	})
}
