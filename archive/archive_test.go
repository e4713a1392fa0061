package archive

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func msg(ts, thread string) *Message {
	m := &Message{TS: MustTS(ts)}
	if thread != "" {
		m.ThreadTS = MustTS(thread)
	}
	return m
}

func tsList(ms []*Message) []string {
	var out []string
	for _, m := range ms {
		s := m.TS.String()
		if m.Missing {
			s += "(missing)"
		}
		if len(m.Replies) > 0 {
			s += "[" + strings.Join(tsList(m.Replies), " ") + "]"
		}
		out = append(out, s)
	}
	return out
}

func TestThread(t *testing.T) {
	tests := []struct {
		name     string
		in       []*Message
		want     []string
		warnings int
	}{
		{"empty", nil, nil, 0},
		{"flat out of order", []*Message{msg("3.0", ""), msg("1.0", ""), msg("2.0", "")}, []string{"1.000000", "2.000000", "3.000000"}, 0},
		{"replies before parent in input", []*Message{msg("2.0", "1.0"), msg("1.0", "1.0"), msg("3.0", "1.0")},
			[]string{"1.000000[2.000000 3.000000]"}, 0},
		{"orphan", []*Message{msg("1.0", ""), msg("5.0", "4.0")}, []string{"1.000000", "4.000000(missing)[5.000000]"}, 1},
		{"duplicate", []*Message{msg("1.0", ""), msg("1.0", "")}, []string{"1.000000"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			roots, warnings := Thread(tt.in)
			if diff := cmp.Diff(tt.want, tsList(roots)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if len(warnings) != tt.warnings {
				t.Errorf("warnings = %q", warnings)
			}
		})
	}
}

func TestAllAndCounts(t *testing.T) {
	a := &Archive{}
	a.Messages, _ = Thread([]*Message{msg("1.0", ""), msg("2.0", "1.0"), msg("4.0", "3.0"), msg("5.0", "")})
	a.Messages[0].Files = []*File{{ID: "F1"}}
	a.Messages[0].Replies[0].Files = []*File{{ID: "F1"}, {ID: "F2"}}
	var got []string
	for m := range a.All() {
		got = append(got, m.TS.String())
	}
	if want := []string{"1.000000", "2.000000", "4.000000", "5.000000"}; !slices.Equal(got, want) {
		t.Errorf("All = %v", got)
	}
	if c := a.Counts(); c != (Counts{Messages: 2, Replies: 2, Files: 2}) {
		t.Errorf("Counts = %+v", c)
	}
}

func TestMessageJSONKeepsRaw(t *testing.T) {
	in := `{"type":"message","ts":"1.000001","text":"hi","user_profile":{"real_name":"A"},"x_future_field":[1,2]}`
	var m Message
	if err := json.Unmarshal([]byte(in), &m); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(&m)
	if err != nil || string(out) != in {
		t.Errorf("marshal = %s, %v", out, err)
	}
	m.Raw = nil
	out, _ = json.Marshal(&m)
	if string(out) != `{"ts":"1.000001","type":"message","text":"hi"}` {
		t.Errorf("typed marshal = %s", out)
	}
}

func TestChannelKeepsExtra(t *testing.T) {
	in := `{"id":"C1","name":"x","created":"12","is_archived":false,"topic":{"value":"t","creator":"","last_set":0},"purpose":{"value":"","creator":"","last_set":0},"shiny":{"a":1}}`
	var c Channel
	if err := json.Unmarshal([]byte(in), &c); err != nil {
		t.Fatal(err)
	}
	if c.Created != 12 || string(c.Extra["shiny"]) != `{"a":1}` || len(c.Extra) != 1 {
		t.Errorf("%+v", c)
	}
	out, _ := json.Marshal(&c)
	var back Channel
	if err := json.Unmarshal(out, &back); err != nil || !cmp.Equal(c, back) {
		t.Errorf("round trip: %s -> %+v (%v)", out, back, err)
	}
}

func TestBlocksText(t *testing.T) {
	blocks := `[
	 {"type":"header","text":{"type":"plain_text","text":"Status Update"}},
	 {"type":"section","text":{"type":"mrkdwn","text":"The incident status has changed to *Mitigated*."},"fields":[{"type":"mrkdwn","text":"*Severity*: SEV2"}]},
	 {"type":"image","image_url":"https://x/y.png","alt_text":"graph"},
	 {"type":"rich_text","elements":[{"type":"rich_text_section","elements":[
	   {"type":"user","user_id":"U1"},{"type":"text","text":" please look at "},{"type":"link","url":"https://x","text":"this"},
	   {"type":"emoji","name":"fire"},{"type":"broadcast","range":"here"},{"type":"channel","channel_id":"C1"}]}]},
	 {"type":"context","elements":[{"type":"image","image_url":"x"},{"type":"mrkdwn","text":"by bot"}]}
	]`
	want := "Status Update\nThe incident status has changed to *Mitigated*.\n*Severity*: SEV2\n<@U1> please look at <https://x|this>:fire:<!here><#C1>\nby bot"
	if got := BlocksText(json.RawMessage(blocks)); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if got := BlocksText(json.RawMessage(`{"not":"an array"}`)); got != "" {
		t.Errorf("bad blocks gave %q", got)
	}
}

func TestReferencedUsers(t *testing.T) {
	a := &Archive{Channel: Channel{Creator: "U0"}}
	m := &Message{TS: 1, User: "U1", Text: "hi <@U2> and <@U3|carol> <@broken",
		Reactions: []Reaction{{Name: "x", Users: []string{"U4"}}}, Edited: &Edited{User: "U5"}}
	a.Messages = []*Message{m}
	got := ReferencedUsers(a)
	for _, id := range []string{"U0", "U1", "U2", "U3", "U4", "U5"} {
		if !got[id] {
			t.Errorf("missing %s in %v", id, got)
		}
	}
	if len(got) != 6 {
		t.Errorf("got %v", got)
	}
}
