package archive

import (
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"
	"unsafe"
)

// decodeMessage is a hand-written decoder for a message's top-level keys,
// several times faster than encoding/json's reflection and validation on
// the strings that make up most of a channel's bytes. It validates the whole
// object, hands the rare nested fields (files, reactions …) to encoding/json,
// and falls back to encoding/json entirely for anything unusual (escaped or
// invalid-UTF-8 keys, keys differing from ours only in case), so its results
// equal encoding/json's: FuzzDecodeMessage checks exactly that.
func decodeMessage(b []byte, m *Message) error {
	d := decoder{b: b}
	err := d.message(m)
	if errors.Is(err, errSlowPath) {
		*m = Message{}
		w := messageWire{messageFields: (*messageFields)(m)}
		if err := json.Unmarshal(b, &w); err != nil {
			return err
		}
		m.Blocks = json.RawMessage(w.Blocks)
		return nil
	}
	return err
}

var errSlowPath = errors.New("use encoding/json")

type decoder struct {
	b []byte
	i int
}

func (d *decoder) ws() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

func (d *decoder) message(m *Message) error {
	d.ws()
	if d.i >= len(d.b) || d.b[d.i] != '{' {
		return errSlowPath // not an object: let encoding/json word the error
	}
	d.i++
	d.ws()
	if d.i < len(d.b) && d.b[d.i] == '}' {
		d.i++
		return d.end()
	}
	for {
		d.ws()
		key, err := d.key()
		if err != nil {
			return err
		}
		d.ws()
		if d.i >= len(d.b) || d.b[d.i] != ':' {
			return errSlowPath
		}
		d.i++
		d.ws()
		if err := d.field(m, key); err != nil {
			return err
		}
		d.ws()
		if d.i >= len(d.b) {
			return errSlowPath
		}
		switch d.b[d.i] {
		case ',':
			d.i++
		case '}':
			d.i++
			return d.end()
		default:
			return errSlowPath
		}
	}
}

func (d *decoder) end() error {
	d.ws()
	if d.i != len(d.b) {
		return errSlowPath
	}
	return nil
}

// key reads an object key that needs no unescaping; the bytes alias the
// input.
func (d *decoder) key() ([]byte, error) {
	if d.i >= len(d.b) || d.b[d.i] != '"' {
		return nil, errSlowPath
	}
	start := d.i + 1
	for j := start; j < len(d.b); j++ {
		switch c := d.b[j]; {
		case c == '"':
			d.i = j + 1
			return d.b[start:j], nil
		case c == '\\' || c < 0x20 || c >= 0x80:
			return nil, errSlowPath
		}
	}
	return nil, errSlowPath
}

// stringValue reads a JSON string, or null as "". Strings with escapes or
// non-ASCII bytes are unquoted by encoding/json, which also repairs invalid
// UTF-8 the way it always does.
func (d *decoder) stringValue() (s string, null bool, err error) {
	if d.literal("null") {
		return "", true, nil
	}
	if d.i >= len(d.b) || d.b[d.i] != '"' {
		return "", false, errSlowPath
	}
	start := d.i
	simple, ascii := true, true
	for j := start + 1; j < len(d.b); j++ {
		switch c := d.b[j]; {
		case c == '"':
			d.i = j + 1
			if simple && (ascii || utf8.Valid(d.b[start+1:j])) {
				if j == start+1 {
					return "", false, nil
				}
				// The string shares the message's bytes, which its Raw
				// keeps and nothing changes (DecodeMessage): a channel's
				// text is not held twice.
				return unsafe.String(&d.b[start+1], j-start-1), false, nil
			}
			if err := json.Unmarshal(d.b[start:d.i], &s); err != nil {
				return "", false, errSlowPath
			}
			return s, false, nil
		case c == '\\':
			simple = false
			j++
		case c < 0x20:
			return "", false, errSlowPath
		case c >= 0x80:
			ascii = false
		}
	}
	return "", false, errSlowPath
}

func (d *decoder) literal(lit string) bool {
	if len(d.b)-d.i >= len(lit) && string(d.b[d.i:d.i+len(lit)]) == lit {
		d.i += len(lit)
		return true
	}
	return false
}

// field decodes the value of one key into m.
func (d *decoder) field(m *Message, key []byte) error {
	var str *string
	var ts *TS
	switch string(key) {
	case "ts":
		ts = &m.TS
	case "thread_ts":
		ts = &m.ThreadTS
	case "latest_reply":
		ts = &m.LatestReply
	case "type":
		str = &m.Type
	case "subtype":
		str = &m.Subtype
	case "user":
		str = &m.User
	case "text":
		str = &m.Text
	case "bot_id":
		str = &m.BotID
	case "username":
		str = &m.Username
	case "app_id":
		str = &m.AppID
	case "parent_user_id":
		str = &m.ParentUserID
	case "blocks":
		start := d.i
		if err := d.skip(0); err != nil {
			return err
		}
		m.Blocks = json.RawMessage(d.b[start:d.i:d.i])
		return nil
	case "reply_count", "bot_profile", "attachments", "files", "reactions", "edited", "metadata":
		return d.nested(m, string(key))
	default:
		if foldsToKnown(key) {
			return errSlowPath // a case variant encoding/json would match
		}
		return d.skip(0)
	}
	if str != nil {
		s, null, err := d.stringValue()
		if err != nil {
			return err
		}
		if !null {
			*str = s
		}
		return nil
	}
	start := d.i
	if err := d.skip(0); err != nil {
		return err
	}
	if err := ts.UnmarshalJSON(d.b[start:d.i]); err != nil {
		return fmt.Errorf("%s: %w", key, err)
	}
	return nil
}

// nested hands a rarely present structured field to encoding/json.
func (d *decoder) nested(m *Message, key string) error {
	start := d.i
	if err := d.skip(0); err != nil {
		return err
	}
	raw := d.b[start:d.i]
	var target any
	switch key {
	case "reply_count":
		target = &m.ReplyCount
	case "bot_profile":
		target = &m.BotProfile
	case "attachments":
		target = &m.Attachments
	case "files":
		target = &m.Files
	case "reactions":
		target = &m.Reactions
	case "edited":
		target = &m.Edited
	case "metadata":
		target = &m.Metadata
	}
	if err := json.Unmarshal(raw, target); err != nil {
		return errSlowPath // let encoding/json report it in context
	}
	return nil
}

// messageKeys are the JSON keys the typed fields use.
var messageKeys = map[string]struct{}{
	"ts": {}, "thread_ts": {}, "latest_reply": {}, "type": {}, "subtype": {}, "user": {}, "text": {},
	"bot_id": {}, "username": {}, "app_id": {}, "parent_user_id": {}, "blocks": {}, "reply_count": {},
	"bot_profile": {}, "attachments": {}, "files": {}, "reactions": {}, "edited": {}, "metadata": {},
}

// foldsToKnown reports whether key matches one of messageKeys ignoring
// case, as encoding/json would match it. The keys are lower-case ASCII,
// and the only non-ASCII runes that fold to ASCII letters (the Kelvin
// sign, the long s) are longer in bytes than the letters, so a key of the
// same length folds to one only if it is ASCII: its lower case is looked
// up, once per unknown key of every message.
func foldsToKnown(key []byte) bool {
	var lower [16]byte // longer than every key in messageKeys
	if len(key) > len(lower) {
		return false
	}
	for i, c := range key {
		switch {
		case c >= 0x80:
			return false
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	_, ok := messageKeys[string(lower[:len(key)])]
	return ok
}
