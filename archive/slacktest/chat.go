package slacktest

import (
	"encoding/json"
	"slices"

	"github.com/wrapup/wrapup/archive"
)

// postedMessage is a message posted through the API, as the admin state
// reports it.
type postedMessage struct {
	Channel  string `json:"channel"`
	Text     string `json:"text"`
	TS       string `json:"ts"`
	ThreadTS string `json:"thread_ts,omitempty"`
}

// nextTSLocked returns a ts after every message in the workspace: now, or
// one microsecond past the newest when the clock is behind it.
func (s *Server) nextTSLocked() archive.TS {
	ts := archive.TSFromTime(s.opts.Clock())
	if ts <= s.lastTS {
		ts = s.lastTS + 1
	}
	s.lastTS = ts
	return ts
}

// content reads the text, blocks, attachments and metadata arguments into
// obj. It reports whether any content was given.
func (q *request) content(obj map[string]any) (bool, error) {
	has := false
	if _, ok := q.form["text"]; ok {
		obj["text"] = q.arg("text")
		has = has || q.arg("text") != ""
	}
	if v := q.arg("blocks"); v != "" {
		var blocks []json.RawMessage
		if json.Unmarshal([]byte(v), &blocks) != nil {
			return false, fail("invalid_blocks_format")
		}
		obj["blocks"] = json.RawMessage(v)
		has = has || len(blocks) > 0
	}
	if v := q.arg("attachments"); v != "" {
		var atts []json.RawMessage
		if json.Unmarshal([]byte(v), &atts) != nil {
			return false, fail("invalid_arguments")
		}
		obj["attachments"] = json.RawMessage(v)
		has = has || len(atts) > 0
	}
	if v := q.arg("metadata"); v != "" {
		var md struct {
			EventType    string          `json:"event_type"`
			EventPayload json.RawMessage `json:"event_payload"`
		}
		if json.Unmarshal([]byte(v), &md) != nil {
			return false, fail("invalid_metadata_format")
		}
		if md.EventType == "" {
			return false, fail("invalid_metadata_schema")
		}
		if md.EventPayload == nil || string(md.EventPayload) == "null" {
			md.EventPayload = json.RawMessage(`{}`)
		}
		obj["metadata"] = md
	}
	return has, nil
}

func (q *request) chatPostMessage() (any, error) {
	if err := q.needScope("chat:write"); err != nil {
		return nil, err
	}
	s := q.s
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, err := q.channelLocked(q.arg("channel"), true)
	if err != nil {
		return nil, err
	}
	obj := map[string]any{"type": "message", "user": q.token.UserID, "team": s.opts.TeamID}
	if q.token.UserID == s.opts.BotUserID {
		obj["bot_id"] = s.opts.BotID
		obj["app_id"] = s.opts.AppID
		obj["bot_profile"] = map[string]any{"id": s.opts.BotID, "app_id": s.opts.AppID,
			"name": s.opts.BotName, "deleted": false, "team_id": s.opts.TeamID}
	}
	has, err := q.content(obj)
	if err != nil {
		return nil, err
	}
	if !has {
		return nil, fail("no_text")
	}
	switch {
	case slices.Contains(s.opts.Restricted, q.method):
		return nil, fail("restricted_action")
	case ch.archived:
		return nil, fail("is_archived")
	case !ch.members[q.token.UserID] && !(q.token.has("chat:write.public") && !ch.info.Private):
		return nil, fail("not_in_channel")
	}
	var parent *message
	if v := q.arg("thread_ts"); v != "" {
		pts, err := archive.ParseTS(v)
		if err != nil {
			return nil, fail("invalid_arguments")
		}
		if p, ok := ch.byTS[pts]; ok {
			if p.isReply() {
				p = ch.byTS[p.threadTS]
			}
			parent = p
		}
		if parent == nil {
			// Slack documents no error for an unknown thread_ts; refuse
			// it the generic way rather than post an invisible reply.
			return nil, fail("invalid_arguments")
		}
	}
	ts := s.nextTSLocked()
	obj["ts"] = ts
	broadcast := false
	if parent != nil {
		obj["thread_ts"] = parent.ts
		obj["parent_user_id"] = parent.user
		if broadcast = q.flag("reply_broadcast"); broadcast {
			obj["subtype"] = "thread_broadcast"
		}
	}
	m, err := newMessage(obj)
	if err != nil {
		return nil, err
	}
	m.user = q.token.UserID
	ch.byTS[ts] = m
	if parent != nil {
		m.threadTS = parent.ts
		parent.replies = append(parent.replies, m)
		if err := parent.noteReply(m); err != nil {
			return nil, err
		}
	}
	if parent == nil || broadcast {
		ch.history = append(ch.history, m) // ts is the newest: the slice stays sorted
	}
	text, _ := obj["text"].(string)
	p := postedMessage{Channel: ch.info.ID, Text: text, TS: ts.String()}
	if parent != nil {
		p.ThreadTS = parent.ts.String()
	}
	s.posted = append(s.posted, p)
	return map[string]any{"channel": ch.info.ID, "ts": ts, "message": json.RawMessage(m.full)}, nil
}

// newMessage encodes a message built by the emulator.
func newMessage(obj map[string]any) (*message, error) {
	m := &message{}
	if err := m.setJSON(obj); err != nil {
		return nil, err
	}
	m.ts, _ = obj["ts"].(archive.TS)
	return m, nil
}

// setJSON stores obj as the message's JSON, with and without metadata.
func (m *message) setJSON(obj map[string]any) error {
	full, err := json.Marshal(obj)
	if err != nil {
		return fail("internal_error")
	}
	m.full, m.noMeta = full, nil
	if md, ok := obj["metadata"]; ok {
		delete(obj, "metadata")
		m.noMeta, _ = json.Marshal(obj)
		obj["metadata"] = md
	}
	return nil
}

// decode returns the message's JSON as an object, for patching.
func (m *message) decode() (map[string]any, error) {
	var obj map[string]any
	if err := json.Unmarshal(m.full, &obj); err != nil {
		return nil, fail("internal_error")
	}
	return obj, nil
}

// noteReply updates a parent's thread fields for a new reply r, as Slack does.
func (m *message) noteReply(r *message) error {
	obj, err := m.decode()
	if err != nil {
		return err
	}
	var users []string
	for _, x := range m.replies {
		if x.user != "" && !slices.Contains(users, x.user) {
			users = append(users, x.user)
		}
	}
	m.threadTS = m.ts
	obj["thread_ts"] = m.ts
	obj["reply_count"] = len(m.replies)
	obj["reply_users"] = users
	obj["reply_users_count"] = len(users)
	obj["latest_reply"] = r.ts
	return m.setJSON(obj)
}

func (q *request) chatUpdate() (any, error) {
	if err := q.needScope("chat:write"); err != nil {
		return nil, err
	}
	s := q.s
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, err := q.channelLocked(q.arg("channel"), false)
	if err != nil {
		return nil, err
	}
	ts, err := archive.ParseTS(q.arg("ts"))
	if err != nil {
		return nil, fail("message_not_found")
	}
	m, ok := ch.byTS[ts]
	switch {
	case !ok || ts == 0:
		return nil, fail("message_not_found")
	case ch.archived:
		return nil, fail("is_archived")
	case m.user != q.token.UserID:
		return nil, fail("cant_update_message")
	}
	obj, err := m.decode()
	if err != nil {
		return nil, err
	}
	if _, err := q.content(obj); err != nil {
		return nil, err
	}
	obj["edited"] = map[string]any{"user": q.token.UserID, "ts": s.nextTSLocked()}
	if err := m.setJSON(obj); err != nil {
		return nil, err
	}
	text, _ := obj["text"].(string)
	for i := range s.posted {
		if s.posted[i].Channel == ch.info.ID && s.posted[i].TS == ts.String() {
			s.posted[i].Text = text
		}
	}
	return map[string]any{"channel": ch.info.ID, "ts": ts, "text": text, "message": json.RawMessage(m.full)}, nil
}

func (q *request) chatGetPermalink() (any, error) {
	s := q.s
	s.mu.RLock()
	defer s.mu.RUnlock()
	ch, err := q.channelLocked(q.arg("channel"), false)
	if err != nil {
		return nil, err
	}
	ts, err := archive.ParseTS(q.arg("message_ts"))
	if err != nil {
		return nil, fail("message_not_found")
	}
	m, ok := ch.byTS[ts]
	if !ok || ts == 0 {
		return nil, fail("message_not_found")
	}
	return map[string]any{"channel": ch.info.ID, "permalink": s.permalink(ch.info.ID, m)}, nil
}

// permalink is a message's link as Slack spells it.
func (s *Server) permalink(channelID string, m *message) string {
	link := s.opts.WorkspaceURL + "archives/" + channelID + "/p" + m.ts.Digits()
	if m.isReply() {
		link += "?thread_ts=" + m.threadTS.String() + "&cid=" + channelID
	}
	return link
}
