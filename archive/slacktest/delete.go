package slacktest

import (
	"slices"

	"github.com/wrapup/wrapup/archive"
)

// chatDelete deletes a message the caller posted. A deleted message leaves
// history, its thread and the admin state's posted list; a parent whose
// replies remain leaves a tombstone, as Slack shows it.
func (q *request) chatDelete() (any, error) {
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
	if m.user != q.token.UserID || ch.archived {
		// A bot token deletes only the bot's own messages; Slack
		// documents no way to delete in an archived channel.
		return nil, fail("cant_delete_message")
	}
	if err := ch.remove(m); err != nil {
		return nil, err
	}
	s.posted = slices.DeleteFunc(s.posted, func(p postedMessage) bool {
		return p.Channel == ch.info.ID && p.TS == ts.String()
	})
	return map[string]any{"channel": ch.info.ID, "ts": ts}, nil
}

// remove takes m out of the channel: out of history and its thread, or
// replaced by a tombstone when it is a parent with replies.
func (ch *channel) remove(m *message) error {
	if m.isReply() {
		if parent, ok := ch.byTS[m.threadTS]; ok {
			parent.replies = slices.DeleteFunc(parent.replies, func(r *message) bool { return r == m })
			if err := parent.syncThread(); err != nil {
				return err
			}
		}
	}
	var stone *message
	if !m.isReply() && len(m.replies) > 0 {
		stone = tombstone(&archive.Message{TS: m.ts, Replies: make([]*archive.Message, len(m.replies))})
		stone.replies = m.replies
	}
	i := slices.Index(ch.history, m)
	switch {
	case i >= 0 && stone != nil:
		ch.history[i] = stone
	case i >= 0:
		ch.history = slices.Delete(ch.history, i, i+1)
	}
	if stone != nil {
		ch.byTS[m.ts] = stone
	} else {
		delete(ch.byTS, m.ts)
	}
	return nil
}

// messageArg finds the message that the "ts" argument names in ch.
func (q *request) messageArg(ch *channel) (*message, error) {
	ts, err := archive.ParseTS(q.arg("ts"))
	if err != nil || ts == 0 {
		return nil, fail("message_not_found")
	}
	m, ok := ch.byTS[ts]
	if !ok {
		return nil, fail("message_not_found")
	}
	return m, nil
}
