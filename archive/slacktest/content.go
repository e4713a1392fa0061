package slacktest

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// Limits Slack puts on a message's content. Each is quoted from Slack's
// documentation in the test that checks it (content_test.go).
const (
	// maxPostText: chat.postMessage truncates text past it, and says so
	// with the message_truncated warning.
	maxPostText = 40_000
	// maxUpdateText: chat.update refuses longer text with msg_too_long.
	maxUpdateText = 4_000
	// maxBlocks: a message holds at most this many blocks; more is
	// invalid_blocks.
	maxBlocks = 50
)

// truncatedWarning is the warning chat.postMessage adds when it cut the text.
const truncatedWarning = "message_truncated"

// contentResult says what content read from a call's arguments.
type contentResult struct {
	has       bool // some text, blocks or attachments were given
	truncated bool // the text was cut to maxPostText
}

// content reads the text, blocks, attachments and metadata arguments into
// obj, applying Slack's limits: chat.update refuses long text, which
// chat.postMessage truncates.
func (q *request) content(obj map[string]any, update bool) (contentResult, error) {
	var res contentResult
	if _, ok := q.form["text"]; ok {
		text := q.arg("text")
		switch n := utf8.RuneCountInString(text); {
		case update && n > maxUpdateText:
			return res, fail("msg_too_long")
		case !update && n > maxPostText:
			text, res.truncated = truncateRunes(text, maxPostText), true
		}
		obj["text"] = text
		res.has = res.has || text != ""
	}
	if v := q.arg("blocks"); v != "" {
		var blocks []json.RawMessage
		if json.Unmarshal([]byte(v), &blocks) != nil {
			return res, fail("invalid_blocks_format")
		}
		if len(blocks) > maxBlocks {
			return res, fail("invalid_blocks")
		}
		obj["blocks"] = json.RawMessage(v)
		res.has = res.has || len(blocks) > 0
	}
	if v := q.arg("attachments"); v != "" {
		var atts []json.RawMessage
		if json.Unmarshal([]byte(v), &atts) != nil {
			return res, fail("invalid_arguments")
		}
		obj["attachments"] = json.RawMessage(v)
		res.has = res.has || len(atts) > 0
	}
	if _, ok := q.form["metadata"]; ok {
		md, err := parseMetadata(q.arg("metadata"), update)
		if err != nil {
			return res, err
		}
		if md == nil {
			delete(obj, "metadata")
		} else {
			obj["metadata"] = md
		}
	}
	return res, nil
}

// truncateRunes returns s's first n characters.
func truncateRunes(s string, n int) string {
	i := 0
	for range n {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i]
}

// metadata is a message's metadata as Slack stores it.
type metadata struct {
	EventType    string          `json:"event_type"`
	EventPayload json.RawMessage `json:"event_payload"`
}

// parseMetadata checks a metadata argument. Metadata always has an
// event_type and an event_payload object whose values are strings,
// numbers, booleans, or flat arrays and objects of those. chat.update
// takes an empty object to remove the metadata: then md is nil.
func parseMetadata(v string, update bool) (*metadata, error) {
	var fields map[string]json.RawMessage
	if json.Unmarshal([]byte(v), &fields) != nil || fields == nil {
		return nil, fail("invalid_metadata_format")
	}
	if update && len(fields) == 0 {
		return nil, nil
	}
	var md metadata
	rawType, ok := fields["event_type"]
	if !ok || isNull(rawType) {
		return nil, fail("invalid_metadata_schema")
	}
	if json.Unmarshal(rawType, &md.EventType) != nil {
		return nil, fail("invalid_metadata_format")
	}
	if md.EventType == "" {
		return nil, fail("invalid_metadata_schema")
	}
	payload, ok := fields["event_payload"]
	if !ok || isNull(payload) {
		return nil, fail("invalid_metadata_schema")
	}
	var values map[string]json.RawMessage
	if json.Unmarshal(payload, &values) != nil {
		return nil, fail("invalid_metadata_format")
	}
	for _, val := range values {
		if !flatValue(val) {
			return nil, fail("invalid_metadata_format")
		}
	}
	md.EventPayload = payload
	return &md, nil
}

// flatValue reports whether a payload value is a scalar, or an array or
// object of scalars.
func flatValue(v json.RawMessage) bool {
	if isScalar(v) {
		return true
	}
	var list []json.RawMessage
	if json.Unmarshal(v, &list) == nil && list != nil {
		for _, x := range list {
			if !isScalar(x) {
				return false
			}
		}
		return true
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(v, &obj) == nil && obj != nil {
		for _, x := range obj {
			if !isScalar(x) {
				return false
			}
		}
		return true
	}
	return false
}

// isScalar reports whether v is a JSON string, number or boolean.
func isScalar(v json.RawMessage) bool {
	v = bytes.TrimSpace(v)
	if len(v) == 0 {
		return false
	}
	switch c := v[0]; {
	case c == '"', c == '-', c >= '0' && c <= '9':
		return true
	case string(v) == "true", string(v) == "false":
		return true
	}
	return false
}

func isNull(v json.RawMessage) bool { return string(bytes.TrimSpace(v)) == "null" }

// typeOnly returns a message's JSON as history serves it without
// include_all_metadata: the metadata keeps its event_type and loses its
// payload. It returns nil when the message has no metadata, and then the
// full JSON serves both ways.
func typeOnly(full []byte) []byte {
	if !bytes.Contains(full, []byte(`"metadata"`)) {
		return nil
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(full, &obj) != nil {
		return nil
	}
	raw, ok := obj["metadata"]
	if !ok {
		return nil
	}
	var md struct {
		EventType string `json:"event_type"`
	}
	_ = json.Unmarshal(raw, &md)
	obj["metadata"], _ = json.Marshal(md)
	b, err := json.Marshal(obj)
	if err != nil {
		return nil
	}
	return b
}
