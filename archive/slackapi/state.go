package slackapi

import (
	"encoding/json"
	"fmt"
	"sync"

	"github.com/wrapup/wrapup/archive"
)

// state is what an export has fetched so far: each message once, keyed by
// ts, the history cursor and the threads done. It is what a checkpoint
// saves. Its methods are safe for concurrent use.
type state struct {
	mu          sync.Mutex
	byTS        map[archive.TS]*archive.Message
	cursor      string // the next history page; "" before the first
	historyDone bool
	threads     map[archive.TS]bool // known thread parents: true once fetched
	threadsDone int
	dirty       bool // changed since the last checkpoint
}

func newState() *state {
	return &state{byTS: map[archive.TS]*archive.Message{}, threads: map[archive.TS]bool{}}
}

// add records messages, keeping the first copy of each ts: a thread's
// parent comes in history and again first in its replies, and a
// broadcast reply comes in both too. It returns the thread parents among
// msgs that are new to the state.
func (s *state) add(msgs []*archive.Message) (parents []archive.TS) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range msgs {
		if _, dup := s.byTS[m.TS]; !dup {
			s.byTS[m.TS] = m
			s.dirty = true
		}
		// A broadcast is a reply: its thread is fetched from the parent.
		if m.HasThread() && !m.IsBroadcast() {
			if _, known := s.threads[m.TS]; !known {
				s.threads[m.TS] = false
				parents = append(parents, m.TS)
			}
		}
	}
	return parents
}

// historyPage records a page of history and the cursor after it.
func (s *state) historyPage(msgs []*archive.Message, next string) []archive.TS {
	parents := s.add(msgs)
	s.mu.Lock()
	s.cursor, s.historyDone, s.dirty = next, next == "", true
	s.mu.Unlock()
	return parents
}

// threadDone records a whole thread: its replies are kept only once all
// pages are in, so a checkpoint never holds half a thread.
func (s *state) threadDone(parent archive.TS, msgs []*archive.Message) {
	s.add(msgs)
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.threads[parent] {
		s.threads[parent] = true
		s.threadsDone++
	}
	s.dirty = true
}

// pending returns the known threads not fetched yet.
func (s *state) pending() []archive.TS {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []archive.TS
	for ts, done := range s.threads {
		if !done {
			out = append(out, ts)
		}
	}
	return out
}

// progress returns the messages held and the threads done and known.
func (s *state) progress() (messages, done, total int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.byTS), s.threadsDone, len(s.threads)
}

// messages returns every message held.
func (s *state) messages() []*archive.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*archive.Message, 0, len(s.byTS))
	for _, m := range s.byTS {
		out = append(out, m)
	}
	return out
}

// checkpointSchema names the checkpoint format.
const checkpointSchema = "wrapup.export-checkpoint/v1"

// checkpointFile is the saved state of an interrupted export.
type checkpointFile struct {
	Schema      string            `json:"schema"`
	ChannelID   string            `json:"channel_id"`
	Cursor      string            `json:"history_cursor"`
	HistoryDone bool              `json:"history_done"`
	ThreadsDone []archive.TS      `json:"threads_done"`
	Messages    []json.RawMessage `json:"messages"`
}

// snapshot encodes the state for a checkpoint, and clears dirty.
func (s *state) snapshot(channelID string) ([]byte, error) {
	s.mu.Lock()
	cp := checkpointFile{Schema: checkpointSchema, ChannelID: channelID, Cursor: s.cursor,
		HistoryDone: s.historyDone, ThreadsDone: []archive.TS{}, Messages: make([]json.RawMessage, 0, len(s.byTS))}
	for ts, done := range s.threads {
		if done {
			cp.ThreadsDone = append(cp.ThreadsDone, ts)
		}
	}
	for _, m := range s.byTS {
		cp.Messages = append(cp.Messages, m.Raw)
	}
	s.dirty = false
	s.mu.Unlock()
	return json.Marshal(cp)
}

// restore loads a checkpoint's state; it refuses one made for another channel.
func restore(data []byte, channelID string) (*state, error) {
	var cp checkpointFile
	if err := json.Unmarshal(data, &cp); err != nil {
		return nil, err
	}
	if cp.Schema != checkpointSchema {
		return nil, fmt.Errorf("unknown checkpoint schema %q", cp.Schema)
	}
	if cp.ChannelID != channelID {
		return nil, fmt.Errorf("checkpoint of channel %s, not %s", cp.ChannelID, channelID)
	}
	s := newState()
	msgs := make([]*archive.Message, 0, len(cp.Messages))
	for i, raw := range cp.Messages {
		m, err := archive.DecodeMessage(raw)
		if err != nil || m.TS == 0 {
			return nil, fmt.Errorf("message %d: %v", i, err)
		}
		msgs = append(msgs, m)
	}
	s.add(msgs)
	for _, ts := range cp.ThreadsDone {
		s.threads[ts] = true
		s.threadsDone++
	}
	s.cursor, s.historyDone = cp.Cursor, cp.HistoryDone
	return s, nil
}
