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

			// The same, told of threads only once every message is in, as
			// a reader of day files learns of them, and with no
			// reply_count to tell them by.
			late := NewStream(head, c.rs, Options{Explain: true}, func(ts archive.TS) *archive.Message { return byTS[ts] })
			for _, m := range msgs {
				quiet := *m
				quiet.ReplyCount = 0
				if err := late.Add(&quiet, false); err != nil {
					t.Fatal(err)
				}
			}
			for _, root := range c.arc.Messages { // as a scan's index lists them, at the end
				if !root.Missing && len(root.Replies) > 0 {
					late.Replied(root.TS)
				}
			}
			if c.name == "generated" && late.Timeline().Metrics.Threads < 100 {
				t.Errorf("the generated channel has %d threads, want its 150", late.Timeline().Metrics.Threads)
			}
			if lateTL := encode(t, late.Timeline()); !bytes.Equal(lateTL, want) {
				t.Errorf("told of threads by Replied, the timeline differs from Build's (%d and %d bytes)", len(lateTL), len(want))
			}
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

// streamAll feeds arc's messages to a Stream whose head has users.
func streamAll(t *testing.T, arc *archive.Archive, users []*archive.User, rs *Ruleset) *Stream {
	t.Helper()
	byTS := map[archive.TS]*archive.Message{}
	var msgs []*archive.Message
	for m := range arc.All() {
		byTS[m.TS] = m
		msgs = append(msgs, m)
	}
	slices.SortStableFunc(msgs, func(x, y *archive.Message) int { return cmp.Compare(x.TS, y.TS) })
	s := NewStream(&archive.Archive{Channel: arc.Channel, Users: users}, rs, Options{Explain: true},
		func(ts archive.TS) *archive.Message { return byTS[ts] })
	for _, m := range msgs {
		if err := s.Add(m, len(m.Replies) > 0); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// referencedOnly is arc with only the users it references, as an archive
// keeps them.
func referencedOnly(arc *archive.Archive) (*archive.Archive, map[string]bool) {
	refs := archive.ReferencedUsers(arc)
	var users []*archive.User
	for _, u := range arc.Users {
		if refs[u.ID] {
			users = append(users, u)
		}
	}
	return &archive.Archive{Channel: arc.Channel, Messages: arc.Messages, Users: users}, refs
}

// TestStreamWithEveryUser: a Stream given every user of the workspace,
// before it can know which the channel references, builds the timeline
// Build builds with the referenced ones whenever every user it consulted
// is referenced; users that are no one's business are never consulted;
// and a name that an unreferenced user would capture shows up in
// Consulted, so that the caller can tell.
func TestStreamWithEveryUser(t *testing.T) {
	strangers := []*archive.User{
		{ID: "U0ZZ01", Name: "zed", RealName: "Zed Stranger"},
		{ID: "U0ZZ02", Name: "yvonne", Profile: archive.UserProfile{DisplayName: "Yvonne"}},
		{ID: "U0ZZ03", Name: "xbot", IsBot: true},
	}
	for _, name := range []string{"chatops", "dispatch", "response", "incidentbot"} {
		t.Run(name, func(t *testing.T) {
			arc := loadArchive(t, name)
			rs := compile(t, presetConfig(name))
			sub, refs := referencedOnly(arc)
			want := encode(t, build(t, sub, rs))
			every := append(slices.Clone(arc.Users), strangers...)
			s := streamAll(t, arc, every, rs)
			got := encode(t, s.Timeline())
			consulted := s.Consulted()
			if len(consulted) == 0 {
				t.Fatal("no user was consulted")
			}
			for _, id := range consulted {
				if !refs[id] {
					t.Fatalf("consulted %s, which the channel does not reference", id)
				}
			}
			if !bytes.Equal(got, want) {
				t.Errorf("with every user, the timeline differs from Build's with the referenced ones (%d and %d bytes)", len(got), len(want))
			}
		})
	}

	// "@carol.w" names no one's handle in the channel; a stranger whose
	// handle it is would become the action item's owner. Consulted names
	// the stranger.
	arc := channelOf(t, said("14:00", "U03CAROL", "on it"), said("14:01", "U01ALICE", "AI: add an alert on queue lag @carol.w"))
	rs := compile(t, presetConfig("chatops"))
	sub, refs := referencedOnly(arc)
	if tl := build(t, sub, rs); len(tl.ActionItems) != 1 || tl.ActionItems[0].Assignee != "" {
		t.Fatalf("with the referenced users the item is %+v, want no owner", tl.ActionItems)
	}
	impostor := &archive.User{ID: "U0ZZ09", Name: "carol.w"}
	s := streamAll(t, arc, append(slices.Clone(sub.Users), impostor), rs)
	if tl := s.Timeline(); len(tl.ActionItems) != 1 || tl.ActionItems[0].Assignee != "carol.w" {
		t.Fatalf("the stranger did not take the item: %+v", tl.ActionItems)
	}
	if !slices.Contains(s.Consulted(), impostor.ID) || refs[impostor.ID] {
		t.Errorf("Consulted %v does not name the unreferenced %s that decided the owner", s.Consulted(), impostor.ID)
	}
}

// TestRepliedSkipsWhatIsNoThread: a join, or wrapup's own message, with
// replies is no thread for Build; Replied does not make it one.
func TestRepliedSkipsWhatIsNoThread(t *testing.T) {
	join := &archive.Message{TS: at("14:00"), Type: "message", Subtype: "channel_join", User: "U02BOB", Text: "<@U02BOB> has joined the channel"}
	ledger := &archive.Message{TS: at("14:01"), Type: "message", User: "UBOTOPS", Text: "wrap-up",
		Metadata: &archive.Metadata{EventType: LedgerEventType}}
	parent := said("14:02", "U01ALICE", "what broke?")
	var msgs []*archive.Message
	for _, root := range []*archive.Message{join, ledger, parent} {
		msgs = append(msgs, root, &archive.Message{TS: root.TS + 30_000_000, ThreadTS: root.TS, Type: "message", User: "U03CAROL", Text: "reply"})
	}
	arc := channelOf(t, msgs...)
	rs := compile(t, presetConfig("chatops"))
	want := build(t, arc, rs)
	if want.Metrics.Threads != 1 {
		t.Fatalf("Build counts %d threads, want 1", want.Metrics.Threads)
	}
	s := NewStream(&archive.Archive{Channel: arc.Channel, Users: arc.Users}, rs, Options{}, func(archive.TS) *archive.Message { return nil })
	sorted := slices.Clone(msgs)
	slices.SortFunc(sorted, func(x, y *archive.Message) int { return cmp.Compare(x.TS, y.TS) })
	for _, m := range sorted {
		if err := s.Add(m, false); err != nil {
			t.Fatal(err)
		}
	}
	for _, root := range []*archive.Message{join, ledger, parent, parent} {
		s.Replied(root.TS)
	}
	if got := s.Timeline().Metrics.Threads; got != 1 {
		t.Errorf("the Stream counts %d threads, want 1", got)
	}
}
