package slacktest

import (
	"cmp"
	"strings"
)

// channelOpen says how a method opens the channel it works on: the
// opening that every channel method shares, in the order Slack checks it.
type channelOpen struct {
	// arg is the argument naming the channel: "channel" unless set.
	arg string
	// byName also finds a channel by name, with or without "#", as
	// chat.postMessage does.
	byName bool
	// write takes the server's lock for writing: the method changes the
	// channel or its messages.
	write bool
	// need are token scopes, one of which the call needs whatever the
	// channel; they are checked before the channel is looked up.
	need []string
	// public and private are the scopes (one of them) that the channel's
	// type needs, checked once it is found.
	public, private []string
}

// openChannel takes the server's lock and finds the channel as o says,
// checking scopes before and after the lookup. On success the caller
// holds the lock and must call unlock; on error the lock is released.
func (q *request) openChannel(o channelOpen) (ch *channel, unlock func(), err error) {
	if err := q.needScope(o.need...); err != nil {
		return nil, nil, err
	}
	unlock = q.s.lock(o.write)
	ch, err = q.channelLocked(q.arg(cmp.Or(o.arg, "channel")), o.byName)
	if err == nil && ch.info.Private {
		err = q.needScope(o.private...)
	} else if err == nil {
		err = q.needScope(o.public...)
	}
	if err != nil {
		unlock()
		return nil, nil, err
	}
	return ch, unlock, nil
}

// lock takes s.mu, for writing when write is set, and returns its unlock.
func (s *Server) lock(write bool) (unlock func()) {
	if write {
		s.mu.Lock()
		return s.mu.Unlock
	}
	s.mu.RLock()
	return s.mu.RUnlock
}

// channelLocked finds a channel by ID, or by name (with or without "#")
// when byName is set, as chat.postMessage allows. A private channel the
// token's user is not in does not exist for it. The caller holds s.mu.
func (q *request) channelLocked(id string, byName bool) (*channel, error) {
	ch, ok := q.s.channels[id]
	if !ok && byName {
		name := strings.TrimPrefix(id, "#")
		for _, cid := range q.s.order {
			if c := q.s.channels[cid]; c.info.Name == name {
				ch, ok = c, true
				break
			}
		}
	}
	if !ok || (ch.info.Private && !ch.members[q.token.UserID]) {
		return nil, fail("channel_not_found")
	}
	return ch, nil
}
