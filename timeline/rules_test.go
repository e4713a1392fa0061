package timeline

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/wrapup/wrapup/archive"
)

// day is the fixed day the table tests' incidents happen on, UTC.
var day = time.Date(2026, 3, 26, 0, 0, 0, 0, time.UTC)

// at is the ts of hh:mm:ss on day (or the next day for "+1 hh:mm").
func at(clock string) archive.TS {
	d := day
	if rest, ok := strings.CutPrefix(clock, "+1 "); ok {
		d, clock = d.AddDate(0, 0, 1), rest
	}
	t, err := time.Parse("15:04:05", clock)
	if err != nil {
		t, err = time.Parse("15:04", clock)
		if err != nil {
			panic(err)
		}
	}
	return archive.TSFromTime(d.Add(time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute + time.Duration(t.Second())*time.Second))
}

func opsbot(clock, text string) *archive.Message {
	return &archive.Message{TS: at(clock), Type: "message", User: "UBOTOPS", BotID: "B0OPS",
		BotProfile: &archive.BotProfile{ID: "B0OPS", Name: "OpsBot"}, Text: text}
}

func said(clock, user, text string) *archive.Message {
	return &archive.Message{TS: at(clock), Type: "message", User: user, Text: text}
}

func topicSet(clock, user, topic string) *archive.Message {
	return &archive.Message{TS: at(clock), Type: "message", Subtype: "channel_topic", User: user,
		Text: "<@" + user + "> set the channel topic: " + topic}
}

// channelOf threads msgs into an archive with testdata/users.json's users.
func channelOf(t testing.TB, msgs ...*archive.Message) *archive.Archive {
	t.Helper()
	var users []*archive.User
	readJSON(t, "testdata/users.json", &users)
	roots, _ := archive.Thread(msgs)
	return &archive.Archive{Channel: archive.Channel{ID: "C0TEST", Name: "incident-test"}, Messages: roots, Users: users}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		name string
		rule RuleConfig
		want string // a substring of the error
	}{
		{"bad regexp", RuleConfig{Name: "r1", Kind: KindStatus, Pattern: `(?P<status>[a-`}, `rule "r1" (timeline.rules[0]): pattern: error parsing regexp`},
		{"unknown kind", RuleConfig{Name: "r1", Kind: "stauts", Pattern: `x`}, `rule "r1" (timeline.rules[0]): unknown kind "stauts"`},
		{"unknown group", RuleConfig{Name: "r1", Kind: KindStatus, Pattern: `(?P<state>\w+)`}, `unknown group "state"`},
		{"unknown from", RuleConfig{Name: "r1", Kind: KindNote, From: "robot"}, `rule "r1" (timeline.rules[0]): unknown from "robot"`},
		{"unknown subtype", RuleConfig{Name: "r1", Kind: KindTopic, Subtype: "channel_topc"}, `unknown subtype "channel_topc"`},
		{"missing name", RuleConfig{Kind: KindNote}, "missing name"},
		{"status without group", RuleConfig{Name: "r1", Kind: KindStatus, Pattern: `resolved`}, `needs a "status" group`},
		{"role without user", RuleConfig{Name: "r1", Kind: KindRole, Pattern: `(?P<role>\w+)`}, `needs a "user" group`},
		{"set unknown group", RuleConfig{Name: "r1", Kind: KindNote, Set: map[string]string{"colour": "red"}}, `set: unknown group "colour"`},
		{"if_changed on a note", RuleConfig{Name: "r1", Kind: KindNote, IfChanged: true}, "if_changed applies only"},
		{"reaction_by alone", RuleConfig{Name: "r1", Kind: KindNote, ReactionBy: "bot"}, "without require_reaction"},
		{"unknown reaction_by", RuleConfig{Name: "r1", Kind: KindNote, RequireReaction: "x", ReactionBy: "robot"}, `unknown reaction_by "robot"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := Defaults()
			cfg.Rules = []RuleConfig{tt.rule}
			_, err := Compile(cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Compile: got %v, want an error containing %q", err, tt.want)
			}
		})
	}
	t.Run("duplicate name", func(t *testing.T) {
		cfg := Defaults()
		cfg.Rules = []RuleConfig{{Name: "chatops-status", Kind: KindNote}}
		if _, err := Compile(cfg); err == nil || !strings.Contains(err.Error(), "already used") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("unknown preset", func(t *testing.T) {
		cfg := Defaults()
		cfg.Presets = []string{"pagerduty"}
		if _, err := Compile(cfg); err == nil || !strings.Contains(err.Error(), `unknown preset "pagerduty"`) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("status mapped to a non-canonical status", func(t *testing.T) {
		cfg := Defaults()
		cfg.Statuses = map[string]string{"triage": "triaging"}
		if _, err := Compile(cfg); err == nil || !strings.Contains(err.Error(), `"triage" maps to "triaging"`) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("preset with an unknown key", func(t *testing.T) {
		_, err := parsePreset([]byte("name: x\nrules:\n  - name: a\n    kind: note\n    patern: x\n"))
		if err == nil || !strings.Contains(err.Error(), "patern") {
			t.Fatalf("got %v", err)
		}
	})
}

// matchOne compiles the rules and returns the events of a channel of msgs.
func eventsOf(t *testing.T, cfg Config, msgs ...*archive.Message) *Timeline {
	t.Helper()
	return build(t, channelOf(t, msgs...), compile(t, cfg))
}

func TestRuleFeatures(t *testing.T) {
	type ev struct{ Kind, Status, Severity, Role, User, Title, Team, Rule, Summary string }
	noPresets := func(rules ...RuleConfig) Config {
		cfg := Defaults()
		cfg.Presets, cfg.Rules = nil, rules
		cfg.Statuses = map[string]string{"mitigated": StatusMonitoring}
		return cfg
	}
	statusRule := RuleConfig{Name: "st", Kind: KindStatus, Pattern: `^Status: (?P<status>\w+)`}
	tests := []struct {
		name string
		cfg  Config
		msgs []*archive.Message
		want []ev
	}{
		{"status mapped through statuses", noPresets(statusRule),
			[]*archive.Message{said("10:00", "U01ALICE", "Status: mitigated")},
			[]ev{{Kind: "status", Status: "monitoring", Rule: "st", Summary: "Status: mitigated"}}},
		{"from bot skips a human", noPresets(RuleConfig{Name: "b", Kind: KindStatus, From: "bot", Pattern: `^Status: (?P<status>\w+)`}),
			[]*archive.Message{said("10:00", "U01ALICE", "Status: identified"), opsbot("10:01", "Status: identified")},
			[]ev{{Kind: "status", Status: "identified", Rule: "b", Summary: "Status: identified"}}},
		{"from human skips a bot", noPresets(RuleConfig{Name: "h", Kind: KindNote, From: "human", Pattern: `^note`}),
			[]*archive.Message{opsbot("10:00", "note a"), said("10:01", "U02BOB", "note b")},
			[]ev{{Kind: "note", Rule: "h", Summary: "note b"}}},
		{"bot filter by bot_profile name", noPresets(RuleConfig{Name: "o", Kind: KindNote, Bot: "opsbot", Pattern: `^x`}),
			[]*archive.Message{opsbot("10:00", "x1"), {TS: at("10:01"), BotID: "B0OTHER", Username: "other", Subtype: "bot_message", Text: "x2"}},
			[]ev{{Kind: "note", Rule: "o", Summary: "x1"}}},
		{"subtype filter", noPresets(RuleConfig{Name: "t", Kind: KindNote, Subtype: "channel_topic", Pattern: `topic: (?P<summary>.+)`}),
			[]*archive.Message{said("10:00", "U01ALICE", "channel topic: no"), topicSet("10:01", "U01ALICE", "hello")},
			[]ev{{Kind: "note", Rule: "t", Summary: "hello"}}},
		{"first match wins, config before presets", func() Config {
			cfg := Defaults()
			cfg.Rules = []RuleConfig{{Name: "mine", Kind: KindNote, Pattern: `Status: \*`}}
			return cfg
		}(),
			[]*archive.Message{opsbot("10:00", ":large_blue_circle: Status: *identified* — x")},
			[]ev{{Kind: "note", Rule: "mine", Summary: ":large_blue_circle: Status: *identified* — x"}}},
		{"entities decoded, markup kept", noPresets(RuleConfig{Name: "e", Kind: KindEscalation, Pattern: `^a & b < c to (?P<team><!subteam\^\w+\|[^>]+>) by (?P<user><@\w+>)`}),
			[]*archive.Message{said("10:00", "U01ALICE", "a &amp; b &lt; c to <!subteam^S1|@db-oncall> by <@U02BOB>")},
			[]ev{{Kind: "escalation", Team: "@db-oncall", User: "bob", Rule: "e", Summary: "a & b < c to @db-oncall by @bob"}}},
		{"blocks text when text is empty", noPresets(RuleConfig{Name: "bl", Kind: KindSeverity, Pattern: `severity is (?P<severity>\w+)`}),
			[]*archive.Message{{TS: at("10:00"), BotID: "B1", Subtype: "bot_message",
				Blocks: []byte(`[{"type":"section","text":{"type":"mrkdwn","text":"severity is sev1"}}]`)}},
			[]ev{{Kind: "severity", Severity: "SEV1", Rule: "bl", Summary: "severity is sev1"}}},
		{"attachments text when text is empty", noPresets(RuleConfig{Name: "at", Kind: KindStatuspage, Pattern: `(?P<summary>Degraded.*)`}),
			[]*archive.Message{{TS: at("10:00"), BotID: "B1", Subtype: "bot_message", Attachments: []archive.Attachment{{Title: "Statuspage", Text: "Degraded performance"}}}},
			[]ev{{Kind: "statuspage", Rule: "at", Summary: "Degraded performance"}}},
		{"user forms resolve to handles", noPresets(RuleConfig{Name: "r", Kind: KindRole, Pattern: `^(?P<role>\w+) is (?P<user>.+)$`}),
			[]*archive.Message{said("10:00", "U01ALICE", "scribe is <@U02BOB>"), said("10:01", "U01ALICE", "scribe is <@U9GONE|ghost>"),
				said("10:02", "U01ALICE", "scribe is @carol"), said("10:03", "U01ALICE", "scribe is dave"), said("10:04", "U01ALICE", "scribe is Jane Doe"),
				said("10:05", "U01ALICE", "scribe is carol.w")},
			[]ev{{Kind: "role", Role: "scribe", User: "bob", Rule: "r", Summary: "scribe is @bob"}, {Kind: "role", Role: "scribe", User: "ghost", Rule: "r", Summary: "scribe is @U9GONE"},
				{Kind: "role", Role: "scribe", User: "carol", Rule: "r", Summary: "scribe is @carol"}, {Kind: "role", Role: "scribe", User: "dave", Rule: "r", Summary: "scribe is dave"},
				{Kind: "role", Role: "scribe", User: "jane", Rule: "r", Summary: "scribe is Jane Doe"}, {Kind: "role", Role: "scribe", User: "carol", Rule: "r", Summary: "scribe is carol.w"}}},
		{"require_reaction by a bot", noPresets(RuleConfig{Name: "ack", Kind: KindSeverity, RequireReaction: ":white_check_mark:", ReactionBy: "bot", Pattern: `^sev (?P<severity>\w+)`}),
			[]*archive.Message{
				{TS: at("10:00"), User: "U01ALICE", Text: "sev major"},
				{TS: at("10:01"), User: "U01ALICE", Text: "sev minor", Reactions: []archive.Reaction{{Name: "white_check_mark", Users: []string{"U02BOB"}}}},
				{TS: at("10:02"), User: "U01ALICE", Text: "sev critical", Reactions: []archive.Reaction{{Name: "white_check_mark", Users: []string{"URESPONSE"}}}}},
			[]ev{{Kind: "severity", Severity: "Critical", Rule: "ack", Summary: "sev critical"}}},
		{"once matches the first message only", noPresets(RuleConfig{Name: "first", Kind: KindDeclared, From: "bot", Once: true}),
			[]*archive.Message{opsbot("10:00", "hello"), opsbot("10:01", "again")},
			[]ev{{Kind: "declared", Status: "investigating", Rule: "first", Summary: "hello"}}},
		{"if_changed skips a restatement", noPresets(RuleConfig{Name: "ic", Kind: KindStatus, IfChanged: true, Pattern: `Status: (?P<status>\w+)`}),
			[]*archive.Message{said("10:00", "U01ALICE", "Status: investigating"), said("10:01", "U01ALICE", "Status: identified"), said("10:02", "U01ALICE", "Status: identified")},
			[]ev{{Kind: "status", Status: "identified", Rule: "ic", Summary: "Status: identified"}}},
		{"set fills a group", noPresets(RuleConfig{Name: "done", Kind: KindStatus, Pattern: `^all clear`, Set: map[string]string{"status": "resolved"}}),
			[]*archive.Message{said("10:00", "U01ALICE", "all clear")},
			[]ev{{Kind: "status", Status: "resolved", Rule: "done", Summary: "all clear"}}},
		{"unmapped status kept verbatim", noPresets(statusRule),
			[]*archive.Message{said("10:00", "U01ALICE", "Status: Stabilising")},
			[]ev{{Kind: "status", Status: "Stabilising", Rule: "st", Summary: "Status: Stabilising"}}},
		{"second declaration becomes a note", Defaults(),
			[]*archive.Message{opsbot("10:00", ":rotating_light: Incident declared: *A* (SEV2) — commander <@U01ALICE>"),
				opsbot("10:05", ":rotating_light: Incident declared: *B* (SEV1) — commander <@U02BOB>")},
			[]ev{{Kind: "declared", Status: "investigating", Severity: "SEV2", Role: "commander", User: "alice", Title: "A", Rule: "chatops-declared", Summary: "A"},
				{Kind: "note", User: "bob", Title: "B", Rule: "chatops-declared", Summary: "Second declaration: B"}}},
		{"topic, pin notice and key moment without rules", noPresets(),
			[]*archive.Message{topicSet("10:00", "U01ALICE", "SEV2 | investigating"),
				{TS: at("10:01"), User: "U02BOB", Text: "found it", Reactions: []archive.Reaction{{Name: "pushpin", Users: []string{"U01ALICE"}}}},
				{TS: at("10:02"), User: "U01ALICE", Subtype: "pinned_item", Text: "<@U01ALICE> pinned a message to this channel.",
					Raw: []byte(`{"subtype":"pinned_item","attachments":[{"ts":"` + at("10:01").String() + `"}]}`)}},
			[]ev{{Kind: "topic", Summary: "SEV2 | investigating"}, {Kind: "note", Summary: "Key moment: found it"}, {Kind: "pin", Summary: "Pinned: found it"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tl := eventsOf(t, tt.cfg, tt.msgs...)
			var got []ev
			for _, e := range tl.Events {
				got = append(got, ev{e.Kind, e.Status, e.Severity, e.Role, e.User, e.Title, e.Team, e.Rule, e.Summary})
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("events (-want +got):\n%s", d)
			}
		})
	}
}

func TestPrefilterNeverRejectsAMatch(t *testing.T) {
	tests := []struct{ pattern, text string }{
		{`^:memo: Action item: (?P<summary>.+)`, ":memo: Action item: x"},
		{`Status Change\*: [^\n→]*→ (?P<status>[A-Za-z]+)`, "*🛡️ Status Change*: Active → Stable"},
		{`(?i)resolved`, "RESOLVED"},
		{`foo|bar`, "bar"},
		{`(?m)^done`, "x\ndone"},
		{`a(?:bc)+d`, "abcbcd"},
	}
	for _, tt := range tests {
		t.Run(tt.pattern, func(t *testing.T) {
			r, err := compileRule(RuleConfig{Name: "p", Kind: KindNote, Pattern: tt.pattern}, "p")
			if err != nil {
				t.Fatal(err)
			}
			if !r.re.MatchString(tt.text) {
				t.Fatalf("test is wrong: %q does not match", tt.text)
			}
			if !r.prefilter(tt.text) {
				t.Errorf("prefilter (literal %q, anchored %v) rejects %q", r.literal, r.anchored, tt.text)
			}
		})
	}
	t.Run("rejects what cannot match", func(t *testing.T) {
		r, _ := compileRule(RuleConfig{Name: "p", Kind: KindNote, Pattern: `^:memo: Action item: (?P<summary>.+)`}, "p")
		if r.literal == "" || !r.anchored || r.prefilter("a :memo: Action item: x") {
			t.Errorf("literal %q anchored %v: want an anchored prefix that rejects a mid-text occurrence", r.literal, r.anchored)
		}
	})
}

func TestExplain(t *testing.T) {
	tl := build(t, loadArchive(t, "chatops"), compile(t, presetConfig("chatops")))
	var matched []string
	for _, m := range tl.Explain.Matches {
		matched = append(matched, m.Rule)
	}
	want := []string{"chatops-declared", "chatops-status", "chatops-role", "chatops-severity", "chatops-escalation",
		"chatops-statuspage", "chatops-status", "chatops-action", "chatops-role", "chatops-resolved"}
	if d := cmp.Diff(want, matched); d != "" {
		t.Errorf("matches (-want +got):\n%s", d)
	}
	if len(tl.Explain.NearMisses) != 1 || !strings.HasPrefix(tl.Explain.NearMisses[0].Text, ":hourglass: Reminder") {
		t.Errorf("near misses: got %+v, want the reminder", tl.Explain.NearMisses)
	}
}

// TestPinNoticeWithoutItem: a pinned_item notice that does not say which
// message it pinned is matched to the channel's pin made by the same person
// at that moment, so the pin is one event, not two.
func TestPinNoticeWithoutItem(t *testing.T) {
	pinned := archive.MustTS("1775124300.000100")
	a := &archive.Archive{Channel: archive.Channel{ID: "C1", Name: "inc",
		Pins: []archive.Pin{{TS: pinned, Created: 1775124400, User: "U2"}}}}
	a.Messages = []*archive.Message{
		{TS: pinned, Type: "message", User: "U1", Text: "origin is at 100% CPU"},
		{TS: archive.MustTS("1775124400.000200"), Type: "message", Subtype: "pinned_item", User: "U2",
			Text: "<@U2> pinned a message to this channel."},
	}
	a.Users = []*archive.User{{ID: "U1", Name: "bob"}, {ID: "U2", Name: "jane"}}
	rs, err := Compile(Defaults())
	if err != nil {
		t.Fatal(err)
	}
	tl, err := Build(a, rs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var pins []Event
	for _, ev := range tl.Events {
		if ev.Kind == KindPin {
			pins = append(pins, ev)
		}
	}
	if len(pins) != 1 || pins[0].PinnedTS != pinned || pins[0].By != "jane" {
		t.Errorf("pin events %+v, want one, by jane, of %s", pins, pinned)
	}
}

// TestChatopsEscalationSpellings: the chatops convention's escalation line
// starts with Slack's :telephone_receiver: (📞); its first spelling,
// :telephone_receiving:, which no emoji table knows, still matches.
func TestChatopsEscalationSpellings(t *testing.T) {
	for _, code := range []string{":telephone_receiver:", ":telephone_receiving:"} {
		t.Run(code, func(t *testing.T) {
			tl := build(t, channelOf(t, opsbot("10:00", code+" Escalated to @db-oncall")), compile(t, presetConfig("chatops")))
			var teams []string
			for _, e := range tl.Events {
				if e.Kind == KindEscalation {
					teams = append(teams, e.Team)
				}
			}
			if len(teams) != 1 || teams[0] != "@db-oncall" {
				t.Errorf("escalations to %q; want one to @db-oncall", teams)
			}
		})
	}
}
