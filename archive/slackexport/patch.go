package slackexport

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/wrapup/wrapup/archive"
)

// field is one top-level member of a JSON object to set.
type field struct {
	key   string
	value []byte // JSON
	// ifMissing keeps the object's own value when it has the key.
	ifMissing bool
}

// patchObject returns obj with each field set: a key obj has gets its value
// replaced where it stands (unless ifMissing), a key it lacks is appended
// before the closing brace. Everything else, whitespace and key order
// included, stays as it was, so a message keeps the bytes its source sent.
func patchObject(obj []byte, fields []field) ([]byte, error) {
	type span struct{ start, end int }
	found := map[string][]span{}
	dec := json.NewDecoder(bytes.NewReader(obj))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("not a JSON object")
	}
	members := 0
	// indent and colon copy the last member's layout onto appended ones.
	indent, colon := []byte(nil), []byte(":")
	for dec.More() {
		prevEnd := int(dec.InputOffset())
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string)
		keyEnd := int(dec.InputOffset())
		// Between the previous value and the key: whitespace, a comma,
		// whitespace. The last run is the key's indent.
		lead := obj[prevEnd:keyEnd]
		lead = lead[:bytes.IndexByte(lead, '"')]
		indent = lead[bytes.LastIndexByte(lead, ',')+1:]
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		end := int(dec.InputOffset())
		// The value starts after the colon and any whitespace.
		start := keyEnd + bytes.IndexByte(obj[keyEnd:end], ':') + 1
		for start < end && isSpace(obj[start]) {
			start++
		}
		colon = obj[keyEnd:start]
		found[key] = append(found[key], span{start, end})
		members++
	}
	closing := int(dec.InputOffset())
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		return nil, fmt.Errorf("not a JSON object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("data after the object")
	}
	// closing is where the decoder stood before "}": skip the whitespace
	// that precedes it, so that appended members follow the last value.
	for closing > 0 && isSpace(obj[closing-1]) {
		closing--
	}

	type edit struct {
		span
		text []byte
	}
	var edits []edit
	var appended bytes.Buffer
	for _, f := range fields {
		spans, has := found[f.key]
		switch {
		case has && f.ifMissing:
		case has:
			for _, s := range spans {
				edits = append(edits, edit{s, f.value})
			}
		default:
			if members > 0 {
				appended.WriteByte(',')
			}
			appended.Write(indent)
			k, _ := json.Marshal(f.key)
			appended.Write(k)
			appended.Write(colon)
			appended.Write(f.value)
			members++
		}
	}
	edits = append(edits, edit{span{closing, closing}, appended.Bytes()})
	// Spans are disjoint; apply them in order.
	sortEdits := func(i, j int) bool { return edits[i].start < edits[j].start }
	for i := 1; i < len(edits); i++ {
		for j := i; j > 0 && sortEdits(j, j-1); j-- {
			edits[j], edits[j-1] = edits[j-1], edits[j]
		}
	}
	out := make([]byte, 0, len(obj)+appended.Len()+64)
	at := 0
	for _, e := range edits {
		out = append(out, obj[at:e.start]...)
		out = append(out, e.text...)
		at = e.end
	}
	return append(out, obj[at:]...), nil
}

// threadReply is an entry of a thread parent's replies list, as Slack's
// exports write it.
type threadReply struct {
	User string     `json:"user"`
	TS   archive.TS `json:"ts"`
}

// parentJSON is a thread parent's JSON as wrapup writes it: as its source
// sent it, with replies listing the archive's replies ([{user, ts}], the
// list Slack's own exports carry and slack-export-viewer nests threads
// by; a bot's reply with no user is listed by its bot_id), and
// reply_count and reply_users (the users who replied) added when the
// source had none (conversations.history sends them; older exports lack
// them).
func parentJSON(m *archive.Message, raw []byte) ([]byte, error) {
	fields, err := parentFields(m)
	if err != nil {
		return nil, err
	}
	return patchObject(raw, fields)
}

// parentFields are the members parentJSON sets on a thread parent.
func parentFields(m *archive.Message) ([]field, error) {
	list := make([]threadReply, 0, len(m.Replies))
	var users []string
	seen := map[string]bool{}
	for _, r := range m.Replies {
		who := r.User
		if who == "" {
			who = r.BotID
		}
		list = append(list, threadReply{User: who, TS: r.TS})
		if r.User != "" && !seen[r.User] {
			seen[r.User] = true
			users = append(users, r.User)
		}
	}
	replies, err := json.Marshal(list)
	if err != nil {
		return nil, err
	}
	fields := []field{{key: "replies", value: replies}}
	fields = append(fields, field{key: "reply_count", value: fmt.Appendf(nil, "%d", len(m.Replies)), ifMissing: true})
	if len(users) > 0 {
		u, err := json.Marshal(users)
		if err != nil {
			return nil, err
		}
		fields = append(fields, field{key: "reply_users", value: u, ifMissing: true})
	}
	return fields, nil
}
