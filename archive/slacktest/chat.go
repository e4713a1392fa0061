package slacktest

import (
	"encoding/json"
	"slices"

	"github.com/wrapup/wrapup/archive"
)

// postedMessage is a message posted through the API, as the admin state
// reports it.
type postedMessage struct {
	Channel  string          `json:"channel"`
	Text     string          `json:"text"`
	TS       string          `json:"ts"`
	ThreadTS string          `json:"thread_ts,omitempty"`
	User     string          `json:"user"`
	BotID    string          `json:"bot_id,omitempty"`
	Metadata json.RawMessage `json:"metadata,omitempty"`
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

func (q *request) chatPostMessage() (any, error) {
	ch, unlock, err := q.openChannel(channelOpen{byName: true, write: true, need: []string{"chat:write"}})
	if err != nil {
		return nil, err
	}
	defer unlock()
	s := q.s
	obj := map[string]any{"type": "message", "user": q.token.UserID, "team": s.opts.TeamID}
	if q.token.UserID == s.opts.BotUserID {
		obj["bot_id"] = s.opts.BotID
		obj["app_id"] = s.opts.AppID
		obj["bot_profile"] = map[string]any{"id": s.opts.BotID, "app_id": s.opts.AppID,
			"name": s.opts.BotName, "deleted": false, "team_id": s.opts.TeamID}
	}
	got, err := q.content(obj, false)
	if err != nil {
		return nil, err
	}
	if !got.has {
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
		if err := parent.syncThread(); err != nil {
			return nil, err
		}
	}
	if parent == nil || broadcast {
		ch.history = append(ch.history, m) // ts is the newest: the slice stays sorted
	}
	text, _ := obj["text"].(string)
	bot, _ := obj["bot_id"].(string)
	p := postedMessage{Channel: ch.info.ID, Text: text, TS: ts.String(), User: m.user, BotID: bot, Metadata: metadataOf(obj)}
	if parent != nil {
		p.ThreadTS = parent.ts.String()
	}
	s.posted = append(s.posted, p)
	resp := map[string]any{"channel": ch.info.ID, "ts": ts, "message": json.RawMessage(m.full)}
	if got.truncated {
		// As Slack answers a post past 40,000 characters.
		resp["warning"] = truncatedWarning
		resp["response_metadata"] = map[string]any{"warnings": []string{truncatedWarning},
			"messages": []string{"[WARN] Your message was truncated but still posted. The `text` field accepts up to 40,000 characters."}}
	}
	return resp, nil
}

// metadataOf returns the metadata of a message being built, or nil.
func metadataOf(obj map[string]any) json.RawMessage {
	md, ok := obj["metadata"]
	if !ok {
		return nil
	}
	b, _ := json.Marshal(md)
	return b
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
	m.full, m.noMeta = full, typeOnly(full)
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

// syncThread sets a parent's thread fields from its replies, as Slack
// does when a reply is posted or deleted. A parent left without replies
// loses them.
func (m *message) syncThread() error {
	obj, err := m.decode()
	if err != nil {
		return err
	}
	if len(m.replies) == 0 {
		m.threadTS = 0
		for _, k := range []string{"thread_ts", "reply_count", "reply_users", "reply_users_count", "latest_reply"} {
			delete(obj, k)
		}
		return m.setJSON(obj)
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
	obj["latest_reply"] = m.replies[len(m.replies)-1].ts
	return m.setJSON(obj)
}

func (q *request) chatUpdate() (any, error) {
	ch, unlock, err := q.openChannel(channelOpen{write: true, need: []string{"chat:write"}})
	if err != nil {
		return nil, err
	}
	defer unlock()
	s := q.s
	m, err := q.messageArg(ch)
	if err != nil {
		return nil, err
	}
	ts := m.ts
	switch {
	case ch.archived:
		return nil, fail("is_inactive")
	case m.user != q.token.UserID:
		return nil, fail("cant_update_message")
	}
	obj, err := m.decode()
	if err != nil {
		return nil, err
	}
	if _, err := q.content(obj, true); err != nil {
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
			s.posted[i].Metadata = metadataOf(obj)
		}
	}
	return map[string]any{"channel": ch.info.ID, "ts": ts, "text": text, "message": json.RawMessage(m.full)}, nil
}

func (q *request) chatGetPermalink() (any, error) {
	ch, unlock, err := q.openChannel(channelOpen{})
	if err != nil {
		return nil, err
	}
	defer unlock()
	s := q.s
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
