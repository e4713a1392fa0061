package slacktest

import (
	"encoding/json"
	"maps"
	"slices"

	"github.com/wrapup/wrapup/archive"
)

func (q *request) authTest() (any, error) {
	s := q.s
	s.mu.RLock()
	name := q.token.UserID
	if u, ok := s.users[q.token.UserID]; ok {
		name = u.name
	}
	s.mu.RUnlock()
	resp := map[string]any{"url": s.opts.WorkspaceURL, "team": s.opts.TeamName, "user": name,
		"team_id": s.opts.TeamID, "user_id": q.token.UserID, "is_enterprise_install": false}
	if q.token.UserID == s.opts.BotUserID {
		resp["bot_id"] = s.opts.BotID
	}
	return resp, nil
}

func (q *request) pinsList() (any, error) {
	ch, unlock, err := q.openChannel(channelOpen{need: []string{"pins:read"}})
	if err != nil {
		return nil, err
	}
	defer unlock()
	s := q.s
	items := []any{}
	for _, p := range ch.pins {
		m, ok := ch.byTS[p.TS]
		if !ok {
			continue // the pinned message is gone, and so is its pin
		}
		obj, err := m.decode()
		if err != nil {
			return nil, err
		}
		obj["permalink"] = s.permalink(ch.info.ID, m)
		obj["pinned_to"] = []string{ch.info.ID}
		created := p.Created
		if created == 0 {
			created = archive.Int(m.ts.Time().Unix())
		}
		items = append(items, map[string]any{"type": "message", "channel": ch.info.ID,
			"created": created, "created_by": p.User, "message": obj})
	}
	return map[string]any{"items": items}, nil
}

func (q *request) usersList() (any, error) {
	if err := q.needScope("users:read"); err != nil {
		return nil, err
	}
	s := q.s
	s.mu.RLock()
	defer s.mu.RUnlock()
	// With no limit Slack tries to send every user at once.
	limit, after, err := q.listArgs(len(s.userIDs)+1, 1000, false)
	if err != nil {
		return nil, err
	}
	start := 0
	for start < len(s.userIDs) && s.userIDs[start] < after {
		start++
	}
	end := min(len(s.userIDs), start+limit)
	members := make([]json.RawMessage, 0, end-start)
	for _, id := range s.userIDs[start:end] {
		members = append(members, s.users[id].raw)
	}
	next := ""
	if end < len(s.userIDs) {
		next = idCursor(s.userIDs[end])
	}
	return map[string]any{"members": members, "cache_ts": s.opts.Clock().Unix(),
		"response_metadata": map[string]string{"next_cursor": next}}, nil
}

func (q *request) usersInfo() (any, error) {
	if err := q.needScope("users:read"); err != nil {
		return nil, err
	}
	s := q.s
	s.mu.RLock()
	defer s.mu.RUnlock()
	u, ok := s.users[q.arg("user")]
	if !ok {
		return nil, fail("user_not_found")
	}
	return map[string]any{"user": json.RawMessage(u.raw)}, nil
}

func (q *request) bookmarksList() (any, error) {
	ch, unlock, err := q.openChannel(channelOpen{arg: "channel_id", need: []string{"bookmarks:read"}})
	if err != nil {
		return nil, err
	}
	defer unlock()
	list := []any{}
	for _, b := range ch.bookmarks {
		typ := b.Type
		if typ == "" {
			typ = "link"
		}
		list = append(list, map[string]any{"id": b.ID, "channel_id": ch.info.ID, "title": b.Title,
			"link": b.Link, "emoji": b.Emoji, "icon_url": "", "type": typ, "entity_id": "",
			"date_created": b.Created, "date_updated": b.Created, "rank": "", "last_updated_by_user_id": "",
			"last_updated_by_team_id": "", "shortcut_id": "", "app_id": ""})
	}
	return map[string]any{"bookmarks": list}, nil
}

// state is the "slack" section of GET /_emulator/state.
func (s *Server) state() any {
	type chState struct {
		ID       string   `json:"id"`
		Name     string   `json:"name"`
		Archived bool     `json:"is_archived"`
		Members  []string `json:"members"`
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	chans := make([]chState, 0, len(s.order))
	for _, id := range s.order {
		ch := s.channels[id]
		chans = append(chans, chState{ID: id, Name: ch.info.Name, Archived: ch.archived,
			Members: append([]string{}, slices.Sorted(maps.Keys(ch.members))...)})
	}
	posted := append([]postedMessage{}, s.posted...)
	return map[string]any{"channels": chans, "posted": posted}
}
