package timeline

import (
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrapup/wrapup/archive"
)

func TestParseMarkers(t *testing.T) {
	markers := Defaults().Markers
	tests := []struct {
		name, text string
		want       []string
	}{
		{"plain", "AI: fix the alert", []string{"fix the alert"}},
		{"case-insensitive", "todo: write docs\nACTION ITEM: page less", []string{"write docs", "page less"}},
		{"bullet and bold", "• *AI:* add an alert <@U1>", []string{"add an alert <@U1>"}},
		{"bold word only", "- *Follow-up*: review the freeze", []string{"review the freeze"}},
		{"italic, numbered, quoted", "1. _TODO:_ one\n> AI: two", []string{"one", "two"}},
		{"several per message", "notes\nAI: one\nnot an item AI: two\n  ◦ TODO: three", []string{"one", "three"}},
		{"marker alone is nothing", "AI:\nTODO:   ", nil},
		{"not at line start", "we said AI: later", nil},
		{"longer word", "AIR: no", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := cmp.Diff(tt.want, ParseMarkers(tt.text, markers)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestActionItems(t *testing.T) {
	parent := said("10:00", "U01ALICE", "AI: rotate the cert <@U04DAVE>\nTODO: rotate the cert <@U04DAVE>")
	dup := said("10:01", "U02BOB", "ai:   Rotate the  cert <@U04DAVE>")
	dup.ThreadTS = parent.TS
	other := said("10:02", "U02BOB", "TODO: rotate the cert <@U04DAVE>") // another thread: its own item
	ticket := said("10:03", "U03CAROL", "Canary deploys by default\nsecond line")
	ticket.Reactions = []archive.Reaction{{Name: "ticket", Users: []string{"U01ALICE"}}}
	rule := RuleConfig{Name: "ai-rule", Kind: KindActionItem, From: "bot", Pattern: `^Follow up: (?P<summary>.+?) for (?P<user>.+)$`}
	cfg := Defaults()
	cfg.Rules = []RuleConfig{rule}
	tl := build(t, channelOf(t, parent, dup, other, ticket, opsbot("10:04", "Follow up: fix dashboards for Jane Doe")), compile(t, cfg))

	type item struct{ Key, Summary, Text, Assignee, Email, By string }
	var got []item
	for _, it := range tl.ActionItems {
		got = append(got, item{it.Key, it.Summary, it.Text, it.Assignee, it.AssigneeEmail, it.By})
	}
	want := []item{
		{ItemKey("C0TEST", parent.TS, 0), "rotate the cert", "", "dave", "dave@example.com", "alice"},
		{ItemKey("C0TEST", other.TS, 0), "rotate the cert", "", "dave", "dave@example.com", "bob"},
		{ItemKey("C0TEST", ticket.TS, 0), "Canary deploys by default", "Canary deploys by default\nsecond line", "", "", "carol"},
		{ItemKey("C0TEST", at("10:04"), 0), "fix dashboards", "", "jane", "jane@example.com", "opsbot"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("items (-want +got):\n%s", d)
	}
	hex12 := regexp.MustCompile(`^[0-9a-f]{12}$`)
	for _, it := range tl.ActionItems {
		if !hex12.MatchString(it.Key) {
			t.Errorf("key %q is not 12 hex digits", it.Key)
		}
	}
	if ItemKey("C0TEST", parent.TS, 0) == ItemKey("C0TEST", parent.TS, 1) || ItemKey("C1", parent.TS, 0) == ItemKey("C2", parent.TS, 0) {
		t.Error("keys collide across positions or channels")
	}
}

func TestTrimOwner(t *testing.T) {
	for in, want := range map[string]string{
		"add an alert @dave":         "add an alert",
		"add an alert (@dave)":       "add an alert",
		"add an alert - @dave.":      "add an alert",
		"add an alert, owner: @dave": "add an alert",
		"ask @dave about the alert":  "ask @dave about the alert",
		"@dave":                      "@dave",
		"add an alert @davey":        "add an alert @davey",
		"add an alert @carol":        "add an alert @carol",
	} {
		if got := trimOwner(in, "dave"); got != want {
			t.Errorf("trimOwner(%q) = %q, want %q", in, got, want)
		}
	}
	if got := trimOwner("x @dave", ""); got != "x @dave" {
		t.Errorf("no owner: %q", got)
	}
}
