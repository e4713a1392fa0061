package slacktest

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"

	"github.com/wrapup/wrapup/archive"
)

// baseMarker stands for the emulator's base URL inside stored message JSON.
// Its JSON form (a NUL, "emu", a NUL) cannot occur in Slack text, and it is
// replaced by the request's own host when the message is served, so the
// JSON is encoded once however the emulator is reached.
const baseMarker = "\x00emu\x00"

var baseMarkerJSON = []byte(`\u0000emu\u0000`)

// message is one stored message, its JSON encoded once.
type message struct {
	ts       archive.TS
	threadTS archive.TS // the parent's ts, for replies and parents
	user     string

	full     []byte // the JSON as served with include_all_metadata
	noMeta   []byte // the JSON with metadata's event_type only; nil when full has no metadata
	hasFiles bool   // full holds baseMarker

	replies []*message // a parent's replies, in ts order
}

func (m *message) isReply() bool { return m.threadTS != 0 && m.threadTS != m.ts }

// json returns the message's JSON for a response.
func (m *message) json(withMeta bool) []byte {
	if !withMeta && m.noMeta != nil {
		return m.noMeta
	}
	return m.full
}

// channel is one conversation of the workspace.
type channel struct {
	info      archive.Channel
	archived  bool
	members   map[string]bool
	history   []*message // channel-level messages, ascending ts
	byTS      map[archive.TS]*message
	pins      []archive.Pin
	bookmarks []archive.Bookmark
}

// file is a file the emulator serves from /files-pri/.
type file struct {
	id, name, mimetype string
	size               int64
	content            []byte // nil: placeholder bytes of size
	info               []byte // the file object files.info serves
}

// user is a workspace member, its JSON encoded once.
type user struct {
	id    string
	name  string
	isBot bool
	raw   []byte
}

// AddArchive adds a's channel, messages, users and files to the workspace.
// A user already known keeps its first record. It is an error to add a
// channel twice.
func (s *Server) AddArchive(a *archive.Archive) error {
	if a.Channel.ID == "" {
		return fmt.Errorf("add archive: channel %q has no ID", a.Channel.Name)
	}
	ch := &channel{info: a.Channel, archived: a.Channel.Archived, members: map[string]bool{},
		byTS: map[archive.TS]*message{}, pins: slices.Clone(a.Channel.Pins),
		bookmarks: slices.Clone(a.Channel.Bookmarks)}
	for _, id := range a.Channel.Members {
		ch.members[id] = true
	}
	if ch.archived {
		// An archived channel has no bots: Slack removed them.
		for _, u := range a.Users {
			if u.IsBot {
				delete(ch.members, u.ID)
			}
		}
		delete(ch.members, s.opts.BotUserID)
	}
	files := map[string]*file{}
	for _, root := range a.Messages {
		var parent *message
		if root.Missing {
			parent = tombstone(root)
		} else {
			m, err := s.encode(root, files)
			if err != nil {
				return fmt.Errorf("add archive %s: %w", a.Channel.ID, err)
			}
			parent = m
		}
		ch.history = append(ch.history, parent)
		ch.byTS[parent.ts] = parent
		for _, r := range root.Replies {
			m, err := s.encode(r, files)
			if err != nil {
				return fmt.Errorf("add archive %s: %w", a.Channel.ID, err)
			}
			m.threadTS = parent.ts
			parent.replies = append(parent.replies, m)
			ch.byTS[m.ts] = m
			if r.IsBroadcast() {
				ch.history = append(ch.history, m)
			}
		}
		if len(parent.replies) > 0 {
			parent.threadTS = parent.ts
		}
	}
	slices.SortFunc(ch.history, func(a, b *message) int { return cmp.Compare(a.ts, b.ts) })

	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.channels[ch.info.ID]; dup {
		return fmt.Errorf("add archive: channel %s is already in the workspace", ch.info.ID)
	}
	s.channels[ch.info.ID] = ch
	s.order = append(s.order, ch.info.ID)
	for id, f := range files {
		if old, ok := s.files[id]; !ok || old.content == nil {
			s.files[id] = f
		}
	}
	for _, u := range a.Users {
		if err := s.addUserLocked(u); err != nil {
			return fmt.Errorf("add archive %s: %w", a.Channel.ID, err)
		}
	}
	for _, m := range ch.byTS {
		if m.ts > s.lastTS {
			s.lastTS = m.ts
		}
	}
	return nil
}

func (s *Server) addUserLocked(u *archive.User) error {
	if _, ok := s.users[u.ID]; ok || u.ID == "" {
		return nil
	}
	raw := u.Raw
	if raw == nil {
		raw = s.userJSON(u)
	}
	if !json.Valid(raw) {
		return fmt.Errorf("user %s: invalid JSON", u.ID)
	}
	s.users[u.ID] = &user{id: u.ID, name: u.Name, isBot: u.IsBot, raw: raw}
	i, _ := slices.BinarySearch(s.userIDs, u.ID)
	s.userIDs = slices.Insert(s.userIDs, i, u.ID)
	return nil
}

// userJSON spells a user built in code the way users.info does.
func (s *Server) userJSON(u *archive.User) []byte {
	profile := map[string]any{"real_name": u.FullName(), "display_name": u.Profile.DisplayName,
		"real_name_normalized": u.FullName(), "display_name_normalized": u.Profile.DisplayName, "team": s.opts.TeamID}
	if u.Profile.Email != "" {
		profile["email"] = u.Profile.Email
	}
	tz := u.TZ
	if tz == "" {
		tz = "UTC"
	}
	b, _ := json.Marshal(map[string]any{"id": u.ID, "team_id": s.opts.TeamID, "name": u.Name,
		"deleted": u.Deleted, "real_name": u.FullName(), "tz": tz, "tz_offset": 0, "profile": profile,
		"is_admin": false, "is_owner": false, "is_bot": u.IsBot, "is_app_user": u.IsAppUser, "updated": 0})
	return b
}

// tombstone stands in for a thread parent the source lost, as Slack shows a
// deleted parent whose replies remain.
func tombstone(m *archive.Message) *message {
	b, _ := json.Marshal(map[string]any{"type": "message", "subtype": "tombstone", "hidden": true,
		"text": "This message was deleted.", "user": "USLACKBOT", "ts": m.TS, "thread_ts": m.TS,
		"reply_count": len(m.Replies)})
	return &message{ts: m.TS, threadTS: m.TS, user: "USLACKBOT", full: b}
}

// encode stores m's JSON with its files' URLs pointing at the emulator,
// and records its files in files.
func (s *Server) encode(m *archive.Message, files map[string]*file) (*message, error) {
	raw, err := m.MarshalJSON()
	if err != nil {
		return nil, fmt.Errorf("message %s: %w", m.TS, err)
	}
	out := &message{ts: m.TS, threadTS: m.ThreadTS, user: m.User, full: raw}
	if m.TS == 0 {
		return nil, fmt.Errorf("message without ts")
	}
	if !bytes.Contains(raw, []byte(`"file`)) && !bytes.Contains(raw, []byte(`"metadata"`)) {
		return out, nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, fmt.Errorf("message %s: %w", m.TS, err)
	}
	content := map[string][]byte{}
	for _, f := range m.Files {
		if f != nil && f.Content != nil {
			content[f.ID] = f.Content
		}
	}
	if v, ok := obj["files"]; ok {
		var list []map[string]json.RawMessage
		if json.Unmarshal(v, &list) == nil {
			for _, f := range list {
				out.hasFiles = s.rewriteFile(f, content, files) || out.hasFiles
			}
			obj["files"], _ = json.Marshal(list)
		}
	}
	if v, ok := obj["file"]; ok {
		var f map[string]json.RawMessage
		if json.Unmarshal(v, &f) == nil && f != nil {
			out.hasFiles = s.rewriteFile(f, content, files) || out.hasFiles
			obj["file"], _ = json.Marshal(f)
		}
	}
	if out.full, err = json.Marshal(obj); err != nil {
		return nil, fmt.Errorf("message %s: %w", m.TS, err)
	}
	out.noMeta = typeOnly(out.full)
	return out, nil
}

// rewriteFile points one file object's private URLs at the emulator and
// records the file; it reports whether it did. External and deleted files
// keep their URLs, since Slack does not host their bytes.
func (s *Server) rewriteFile(obj map[string]json.RawMessage, content map[string][]byte, files map[string]*file) bool {
	b, _ := json.Marshal(obj)
	var f archive.File
	if json.Unmarshal(b, &f) != nil || f.ID == "" {
		return false
	}
	if f.IsExternal || f.Mode == "external" || f.Mode == "tombstone" || f.Mode == "hidden_by_limit" {
		return false
	}
	name := f.Name
	if name == "" {
		name = f.ID
	}
	files[f.ID] = s.hostFile(obj, f.ID, name, f.Mimetype, int64(f.Size), content[f.ID])
	return true
}

// filePath is the path of a file's URL as files.slack.com spells it:
// /files-pri/<TEAM>-<FILE>/<name>, and /files-pri/<TEAM>-<FILE>/download/<name>
// for url_private_download.
func filePath(team, id, download, name string) string {
	return "/files-pri/" + team + "-" + id + "/" + download + url.PathEscape(name)
}

// Invite makes userID a member of the channel, as a person's /invite in
// Slack does: the way a bot gets into a private channel, or into a public
// one it may not join itself. An archived channel takes no one.
func (s *Server) Invite(channelID, userID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, ok := s.channels[channelID]
	switch {
	case !ok:
		return fmt.Errorf("invite: no channel %s", channelID)
	case ch.archived:
		return fmt.Errorf("invite: channel %s is archived", channelID)
	}
	ch.members[userID] = true
	return nil
}
