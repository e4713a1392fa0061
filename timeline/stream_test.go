package timeline

import (
	"bytes"
	"cmp"
	"slices"
	"strings"
	"testing"

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/archivetest"
)

// TestStreamIsBuild: a Stream fed the messages one at a time, with a head
// archive that holds none of them, gives the timeline Build gives, byte for
// byte: the preset fixtures (pins, topics, roles, action items, threads)
// and a generated channel of threads, reactions and files.
func TestStreamIsBuild(t *testing.T) {
	type tc struct {
		name string
		arc  *archive.Archive
		rs   *Ruleset
	}
	var cases []tc
	for _, name := range []string{"chatops", "dispatch", "response", "incidentbot"} {
		cases = append(cases, tc{name, loadArchive(t, name), compile(t, presetConfig(name))})
	}
	cases = append(cases, tc{"generated", archivetest.Generate(archivetest.Options{Messages: 3000, Threads: 150}), compile(t, presetConfig("chatops"))})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := encode(t, build(t, c.arc, c.rs))

			head := &archive.Archive{Channel: c.arc.Channel, Users: c.arc.Users}
			byTS := map[archive.TS]*archive.Message{}
			var msgs []*archive.Message
			for m := range c.arc.All() {
				byTS[m.TS] = m
				msgs = append(msgs, m)
			}
			slices.SortStableFunc(msgs, func(x, y *archive.Message) int { return cmp.Compare(x.TS, y.TS) })
			lookups := 0
			s := NewStream(head, c.rs, Options{Explain: true}, func(ts archive.TS) *archive.Message {
				lookups++
				return byTS[ts]
			})
			for _, m := range msgs {
				if err := s.Add(m, len(m.Replies) > 0); err != nil {
					t.Fatal(err)
				}
			}
			got := encode(t, s.Timeline())
			if !bytes.Equal(got, want) {
				t.Errorf("the streamed timeline differs from Build's (%d and %d bytes)", len(got), len(want))
			}
			if len(c.arc.Channel.Pins) > 0 && lookups == 0 {
				t.Error("the channel has pins and no message was looked up")
			}
			if again := encode(t, s.Timeline()); !bytes.Equal(again, got) {
				t.Error("Timeline twice gave different timelines")
			}
			if err := s.Add(msgs[len(msgs)-1], false); err == nil || !strings.Contains(err.Error(), "after the timeline") {
				t.Errorf("Add after Timeline: %v", err)
			}
		})
	}
}

// TestStreamOrder: a message older than the one before it is an error
// naming both; messages with the same ts are fine.
func TestStreamOrder(t *testing.T) {
	arc := loadArchive(t, "chatops")
	head := &archive.Archive{Channel: arc.Channel, Users: arc.Users}
	s := NewStream(head, compile(t, presetConfig("chatops")), Options{}, func(archive.TS) *archive.Message { return nil })
	first, second := said("14:05", "U02ALICE", "one"), said("14:04", "U02ALICE", "two")
	if err := s.Add(first, false); err != nil {
		t.Fatal(err)
	}
	if err := s.Add(said("14:05", "U02BOB", "same second"), false); err != nil {
		t.Errorf("a message with the same ts: %v", err)
	}
	err := s.Add(second, false)
	if err == nil || !strings.Contains(err.Error(), second.TS.String()) || !strings.Contains(err.Error(), "ts order") {
		t.Errorf("an older message: %v", err)
	}
}
