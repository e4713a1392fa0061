package archive

import (
	"cmp"
	"fmt"
	"iter"
	"slices"
	"sync"
)

// Archive is one channel and everything it references: its messages grouped
// into threads, the users they mention or were posted by, and their files.
// It is what every source produces and every consumer reads.
type Archive struct {
	Channel Channel

	// Messages are the channel's top-level messages in ts order, each with
	// its thread's replies in Replies. A thread whose parent the source
	// lacked hangs under a parent marked Missing.
	Messages []*Message

	// Users are the users the channel references, sorted by ID.
	Users []*User

	// Warnings are problems found while reading that lost nothing:
	// duplicate messages dropped, orphaned replies kept.
	Warnings []string

	mu    sync.Mutex // guards users
	users map[string]*User
}

// User returns the user with the given ID.
func (a *Archive) User(id string) (*User, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.users == nil || len(a.users) != len(a.Users) {
		a.users = make(map[string]*User, len(a.Users))
		for _, u := range a.Users {
			a.users[u.ID] = u
		}
	}
	u, ok := a.users[id]
	return u, ok
}

// Handle returns the handle of the user with the given ID, or the ID itself
// when the user is unknown.
func (a *Archive) Handle(id string) string {
	if u, ok := a.User(id); ok && u.Name != "" {
		return u.Name
	}
	return id
}

// IsBotMessage reports whether a bot posted m: the message says so, or its
// poster's user record is a bot.
func (a *Archive) IsBotMessage(m *Message) bool {
	if m.IsBot() {
		return true
	}
	u, ok := a.User(m.User)
	return ok && u.IsBot
}

// All yields every message, parents and replies, in thread order: each
// top-level message followed by its replies. Missing parents are skipped.
func (a *Archive) All() iter.Seq[*Message] {
	return func(yield func(*Message) bool) {
		for _, m := range a.Messages {
			if !m.Missing && !yield(m) {
				return
			}
			for _, r := range m.Replies {
				if !yield(r) {
					return
				}
			}
		}
	}
}

// Counts are the sizes of an archive, as its manifest records them.
type Counts struct {
	Messages int `json:"messages"` // top-level messages
	Replies  int `json:"replies"`  // thread replies
	Users    int `json:"users"`
	Files    int `json:"files"` // distinct files referenced
}

// Counts counts the archive's messages, replies, users and files.
func (a *Archive) Counts() Counts {
	c := Counts{Users: len(a.Users)}
	files := map[string]bool{}
	for _, m := range a.Messages {
		if !m.Missing {
			c.Messages++
		}
		c.Replies += len(m.Replies)
	}
	for m := range a.All() {
		for _, f := range m.Files {
			files[f.ID] = true
		}
	}
	c.Files = len(files)
	return c
}

// Thread sorts flat messages by ts, drops duplicate ts (keeping the first
// seen, with a warning), and groups replies under their parents. A reply
// whose parent is absent is kept under a parent marked Missing, with a warning.
// A thread_broadcast is a reply: it appears once, in its thread.
func Thread(flat []*Message) (roots []*Message, warnings []string) {
	sorted := slices.Clone(flat)
	slices.SortStableFunc(sorted, func(a, b *Message) int { return cmp.Compare(a.TS, b.TS) })
	kept := sorted[:0]
	for i, m := range sorted {
		if i > 0 && m.TS == kept[len(kept)-1].TS {
			warnings = append(warnings, fmt.Sprintf("message %s appears more than once; kept the first", m.TS))
			continue
		}
		kept = append(kept, m)
	}
	parents := make(map[TS]*Message)
	for _, m := range kept {
		m.Replies = nil
		if !m.IsReply() {
			roots = append(roots, m)
			parents[m.TS] = m
		}
	}
	var orphans []*Message
	for _, m := range kept {
		if !m.IsReply() {
			continue
		}
		p, ok := parents[m.ThreadTS]
		if !ok {
			p = &Message{TS: m.ThreadTS, ThreadTS: m.ThreadTS, Missing: true}
			parents[m.ThreadTS] = p
			orphans = append(orphans, p)
			warnings = append(warnings, fmt.Sprintf("thread %s: parent message not found; its replies are kept", m.ThreadTS))
		}
		p.Replies = append(p.Replies, m)
	}
	if len(orphans) > 0 {
		roots = append(roots, orphans...)
		slices.SortStableFunc(roots, func(a, b *Message) int { return cmp.Compare(a.TS, b.TS) })
	}
	return roots, warnings
}
