package slacktest

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/wrapup/wrapup/archive"
)

// channelObject is the channel as conversations.info and .list spell it.
func (q *request) channelObject(ch *channel, numMembers bool) map[string]any {
	c := ch.info
	obj := map[string]any{}
	for k, v := range c.Extra {
		obj[k] = v
	}
	// Fields an export keeps but the Web API does not send.
	for _, k := range []string{"members", "pins", "bookmarks"} {
		delete(obj, k)
	}
	maps.Copy(obj, map[string]any{
		"id": c.ID, "name": c.Name, "name_normalized": c.Name, "created": c.Created, "creator": c.Creator,
		"is_channel": !c.Private, "is_group": c.Private, "is_im": false, "is_mpim": false,
		"is_private": c.Private, "is_archived": ch.archived, "is_general": c.General,
		"is_shared": false, "is_ext_shared": false, "is_org_shared": false, "is_pending_ext_shared": false,
		"pending_shared": []string{}, "unlinked": 0, "is_member": ch.members[q.token.UserID],
		"topic": c.Topic, "purpose": c.Purpose, "previous_names": []string{},
	})
	if _, ok := obj["previous_names"]; ok && c.Extra["previous_names"] != nil {
		obj["previous_names"] = c.Extra["previous_names"]
	}
	if numMembers {
		obj["num_members"] = len(ch.members)
	}
	return obj
}

func (q *request) conversationsInfo() (any, error) {
	ch, unlock, err := q.openChannel(channelOpen{public: []string{"channels:read"}, private: []string{"groups:read"}})
	if err != nil {
		return nil, err
	}
	defer unlock()
	return map[string]any{"channel": q.channelObject(ch, q.flag("include_num_members"))}, nil
}

// tsArg parses a ts argument; "" and "0" are absent.
func (q *request) tsArg(name, code string) (archive.TS, error) {
	v := q.arg(name)
	if v == "" || v == "0" {
		return 0, nil
	}
	ts, err := archive.ParseTS(v)
	if err != nil {
		return 0, fail(code)
	}
	return ts, nil
}

// window returns the bounds [lo, hi) of msgs (ascending ts) that oldest,
// latest and inclusive select, by binary search.
func window(msgs []*message, oldest, latest archive.TS, inclusive bool) (lo, hi int) {
	find := func(ts archive.TS, after bool) int {
		i, found := slices.BinarySearchFunc(msgs, ts, func(m *message, t archive.TS) int { return cmp.Compare(m.ts, t) })
		if found && after {
			i++
		}
		return i
	}
	lo, hi = 0, len(msgs)
	if oldest != 0 {
		lo = find(oldest, !inclusive)
	}
	if latest != 0 {
		hi = find(latest, inclusive)
	}
	return lo, max(lo, hi)
}

func (q *request) conversationsHistory() (any, error) {
	ch, unlock, err := q.openChannel(channelOpen{public: []string{"channels:history"}, private: []string{"groups:history"}})
	if err != nil {
		return nil, err
	}
	defer unlock()
	if !ch.members[q.token.UserID] {
		return nil, fail("not_in_channel")
	}
	oldest, latest, limit, cursor, err := q.pageArgs(100, 999)
	if err != nil {
		return nil, err
	}
	lo, hi := window(ch.history, oldest, latest, q.flag("inclusive"))
	if cursor != 0 {
		_, c := window(ch.history, 0, cursor, true)
		hi = max(lo, min(hi, c))
	}
	start := max(lo, hi-limit)
	page := make([]*message, 0, hi-start)
	for i := hi - 1; i >= start; i-- {
		page = append(page, ch.history[i])
	}
	next := ""
	if start > lo {
		next = tsCursor(ch.history[start-1].ts)
	}
	b := q.messagesBody(page, q.flag("include_all_metadata"))
	b = fmt.Appendf(b, `,"has_more":%t,"pin_count":%d,"response_metadata":{"next_cursor":%q}}`, next != "", len(ch.pins), next)
	return rawJSON(b), nil
}

func (q *request) conversationsReplies() (any, error) {
	ch, unlock, err := q.openChannel(channelOpen{public: []string{"channels:history"}, private: []string{"groups:history"}})
	if err != nil {
		return nil, err
	}
	defer unlock()
	if !ch.members[q.token.UserID] {
		return nil, fail("not_in_channel")
	}
	ts, err := archive.ParseTS(q.arg("ts"))
	if err != nil || ts == 0 {
		return nil, fail("thread_not_found")
	}
	parent, ok := ch.byTS[ts]
	if ok && parent.isReply() {
		parent, ok = ch.byTS[parent.threadTS]
	}
	if !ok {
		return nil, fail("thread_not_found")
	}
	oldest, latest, limit, cursor, err := q.pageArgs(1000, 1000)
	if err != nil {
		return nil, err
	}
	lo, hi := window(parent.replies, oldest, latest, q.flag("inclusive"))
	if cursor != 0 {
		c, _ := window(parent.replies, cursor, 0, true)
		lo = min(hi, max(lo, c))
	}
	// The parent comes first on every page and counts toward the limit.
	end := min(hi, lo+max(1, limit-1))
	page := append([]*message{parent}, parent.replies[lo:end]...)
	next := ""
	if end < hi {
		next = tsCursor(parent.replies[end].ts)
	}
	b := q.messagesBody(page, q.flag("include_all_metadata"))
	b = fmt.Appendf(b, `,"has_more":%t,"response_metadata":{"next_cursor":%q}}`, next != "", next)
	return rawJSON(b), nil
}

func (q *request) conversationsList() (any, error) {
	types := q.arg("types")
	if types == "" {
		types = "public_channel"
	}
	var public, private bool
	for t := range strings.SplitSeq(types, ",") {
		switch strings.TrimSpace(t) {
		case "public_channel":
			public = true
		case "private_channel":
			private = true
		case "im", "mpim": // the emulated workspace has none
		default:
			return nil, fail("invalid_types")
		}
	}
	if public {
		if err := q.needScope("channels:read"); err != nil {
			return nil, err
		}
	}
	if private {
		if err := q.needScope("groups:read"); err != nil {
			return nil, err
		}
	}
	limit, after, err := q.listArgs(100, 1000, true)
	if err != nil {
		return nil, err
	}
	q.s.mu.RLock()
	defer q.s.mu.RUnlock()
	ids := slices.Sorted(maps.Keys(q.s.channels))
	start, _ := slices.BinarySearch(ids, after)
	list := []any{}
	next := ""
	for _, id := range ids[start:] {
		ch := q.s.channels[id]
		if (ch.info.Private && (!private || !ch.members[q.token.UserID])) || (!ch.info.Private && !public) ||
			(ch.archived && q.flag("exclude_archived")) {
			continue
		}
		if len(list) == limit {
			next = idCursor(id)
			break
		}
		list = append(list, q.channelObject(ch, true))
	}
	return map[string]any{"channels": list, "response_metadata": map[string]string{"next_cursor": next}}, nil
}

func (q *request) conversationsJoin() (any, error) {
	// Joining a private channel is refused before the scope is checked.
	ch, unlock, err := q.openChannel(channelOpen{write: true})
	if err != nil {
		return nil, err
	}
	defer unlock()
	if ch.info.Private {
		return nil, fail("method_not_supported_for_channel_type")
	}
	if err := q.needScope("channels:join", "channels:write"); err != nil {
		return nil, err
	}
	if ch.archived {
		return nil, fail("is_archived")
	}
	resp := map[string]any{}
	if ch.members[q.token.UserID] {
		resp["warning"] = "already_in_channel"
		resp["response_metadata"] = map[string]any{"warnings": []string{"already_in_channel"}}
	}
	ch.members[q.token.UserID] = true
	resp["channel"] = q.channelObject(ch, false)
	return resp, nil
}

func (q *request) conversationsArchive() (any, error) {
	ch, unlock, err := q.openChannel(channelOpen{write: true, public: []string{"channels:manage", "channels:write"}, private: []string{"groups:write"}})
	if err != nil {
		return nil, err
	}
	defer unlock()
	switch {
	case slices.Contains(q.s.opts.Restricted, q.method):
		return nil, fail("restricted_action")
	case ch.archived:
		return nil, fail("already_archived")
	case ch.info.General:
		return nil, fail("cant_archive_general")
	case !ch.members[q.token.UserID]:
		return nil, fail("not_in_channel")
	}
	ch.archived = true
	// Slack removes bots from a channel when it is archived: afterwards
	// they can neither read it (not_in_channel) nor join it (is_archived).
	for id := range ch.members {
		if u := q.s.users[id]; id == q.s.opts.BotUserID || u != nil && u.isBot {
			delete(ch.members, id)
		}
	}
	return map[string]any{}, nil
}

func (q *request) conversationsMembers() (any, error) {
	ch, unlock, err := q.openChannel(channelOpen{public: []string{"channels:read"}, private: []string{"groups:read"}})
	if err != nil {
		return nil, err
	}
	defer unlock()
	limit, after, err := q.listArgs(100, 1000, true)
	if err != nil {
		return nil, err
	}
	ids := slices.Sorted(maps.Keys(ch.members))
	start, _ := slices.BinarySearch(ids, after)
	end := min(len(ids), start+limit)
	next := ""
	if end < len(ids) {
		next = idCursor(ids[end])
	}
	return map[string]any{"members": append([]string{}, ids[start:end]...),
		"response_metadata": map[string]string{"next_cursor": next}}, nil
}

// pageArgs reads the paging arguments history and replies share: the
// oldest/latest window, the limit with its default and maximum, and the
// cursor.
func (q *request) pageArgs(defLimit, maxLimit int) (oldest, latest archive.TS, limit int, cursor archive.TS, err error) {
	if oldest, err = q.tsArg("oldest", "invalid_ts_oldest"); err != nil {
		return
	}
	if latest, err = q.tsArg("latest", "invalid_ts_latest"); err != nil {
		return
	}
	if limit, err = q.messageLimit(defLimit, maxLimit); err != nil {
		return
	}
	cursor, err = parseTSCursor(q.arg("cursor"))
	return
}

// listArgs reads the paging arguments of the ID-ordered lists (channels,
// members, users): the limit and the cursor.
func (q *request) listArgs(defLimit, maxLimit int, strict bool) (limit int, after string, err error) {
	if limit, err = q.limitArg(defLimit, maxLimit, strict); err != nil {
		return
	}
	after, err = parseIDCursor(q.arg("cursor"))
	return
}
