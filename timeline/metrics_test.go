package timeline

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/wrapup/wrapup/archive"
)

func declare(clock, sev string) *archive.Message {
	return opsbot(clock, ":rotating_light: Incident declared: *Checkout down* ("+sev+") — commander <@U01ALICE>")
}
func status(clock, s string) *archive.Message {
	return opsbot(clock, ":large_blue_circle: Status: *"+s+"*")
}

func TestMetrics(t *testing.T) {
	type metrics struct {
		TTM, TTR, Updates, Gap, Late  *int64
		Responders, Messages, Threads int64
		InStatus, AtSeverity          map[string]int64
		Omitted                       map[string]string
		Declared, Resolved            *time.Time
		NoDeclaration                 bool
		Severity, Initial, Peak       string
	}
	tm := func(clock string) *time.Time { t := at(clock).Time(); return &t }
	tests := []struct {
		name string
		msgs []*archive.Message
		want metrics
	}{
		{"straight through",
			[]*archive.Message{declare("10:00", "SEV2"), said("10:05", "U02BOB", "looking"), status("10:20", "identified"),
				status("11:00", "monitoring"), said("11:01", "U03CAROL", "ok"), status("11:30", "resolved")},
			metrics{TTM: ptr[int64](3600), TTR: ptr[int64](5400), Updates: ptr[int64](3), Gap: ptr[int64](2400), Late: ptr[int64](1),
				Responders: 2, Messages: 6, InStatus: map[string]int64{"investigating": 1200, "identified": 2400, "monitoring": 1800},
				AtSeverity: map[string]int64{"SEV2": 5400}, Omitted: map[string]string{}, Declared: tm("10:00"), Resolved: tm("11:30"),
				Severity: "SEV2", Initial: "SEV2", Peak: "SEV2"}},
		{"reopened and resolved again: the last resolution counts",
			[]*archive.Message{declare("10:00", "SEV3"), status("10:30", "resolved"), status("10:40", "investigating"),
				opsbot("10:45", ":arrow_up: Severity: *SEV1* (was SEV3)"), status("11:00", "monitoring"), status("12:00", "resolved")},
			metrics{TTM: ptr[int64](3600), TTR: ptr[int64](7200), Updates: ptr[int64](4), Gap: ptr[int64](3600), Late: ptr[int64](1),
				Messages: 6, InStatus: map[string]int64{"investigating": 3000, "resolved": 600, "monitoring": 3600},
				AtSeverity: map[string]int64{"SEV3": 2700, "SEV1": 4500}, Omitted: map[string]string{}, Declared: tm("10:00"), Resolved: tm("12:00"),
				Severity: "SEV1", Initial: "SEV3", Peak: "SEV1"}},
		{"reopened and not resolved again",
			[]*archive.Message{declare("10:00", "SEV2"), status("10:30", "resolved"), status("10:40", "identified")},
			metrics{Updates: ptr[int64](2), Gap: ptr[int64](1800), Late: ptr[int64](0), Messages: 3,
				InStatus: map[string]int64{"investigating": 1800, "resolved": 600}, AtSeverity: map[string]int64{"SEV2": 2400},
				Omitted: map[string]string{"time_to_mitigate_s": "no status monitoring was set",
					"time_to_resolve_s": "reopened after resolution; the last status is identified"},
				Declared: tm("10:00"), Severity: "SEV2", Initial: "SEV2", Peak: "SEV2"}},
		{"crossing midnight",
			[]*archive.Message{declare("23:30", "P2"), status("+1 00:10", "monitoring"), status("+1 01:00", "resolved")},
			metrics{TTM: ptr[int64](2400), TTR: ptr[int64](5400), Updates: ptr[int64](2), Gap: ptr[int64](3000), Late: ptr[int64](2), Messages: 3,
				InStatus: map[string]int64{"investigating": 2400, "monitoring": 3000}, AtSeverity: map[string]int64{"P2": 5400},
				Omitted: map[string]string{}, Declared: tm("23:30"), Resolved: tm("+1 01:00"), Severity: "P2", Initial: "P2", Peak: "P2"}},
		{"resolved before declared: time to resolve omitted",
			[]*archive.Message{status("09:00", "resolved"), declare("10:00", "SEV2")},
			metrics{Updates: ptr[int64](0), Messages: 2,
				Omitted: map[string]string{"time_to_mitigate_s": "no status monitoring was set",
					"time_to_resolve_s":    "resolution (2026-03-26T09:00:00Z) precedes the declaration (2026-03-26T10:00:00Z)",
					"longest_update_gap_s": "no status update after the declaration", "late_updates": "no status update after the declaration"},
				Declared: tm("10:00"), Resolved: tm("09:00"), Severity: "SEV2", Initial: "SEV2", Peak: "SEV2"}},
		{"no bot at all: declared_at falls back to the first message",
			[]*archive.Message{said("08:00", "U01ALICE", "api is down?"), topicSet("08:05", "U01ALICE", "api down"), said("08:10", "U02BOB", "yes")},
			metrics{Updates: ptr[int64](0), Responders: 2, Messages: 3, InStatus: map[string]int64{"investigating": 600},
				Omitted: map[string]string{"time_to_mitigate_s": "no status monitoring was set", "time_to_resolve_s": "no status resolved was set",
					"longest_update_gap_s": "no status update after the declaration", "late_updates": "no status update after the declaration"},
				Declared: tm("08:00"), NoDeclaration: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tl := eventsOf(t, Defaults(), tt.msgs...)
			m, inc := tl.Metrics, tl.Incident
			got := metrics{m.TimeToMitigate, m.TimeToResolve, m.StatusUpdates, m.LongestUpdateGap, m.LateUpdates,
				m.Responders, m.Messages, m.Threads, m.SecondsInStatus, m.SecondsAtSeverity, tl.Omitted,
				inc.DeclaredAt, inc.ResolvedAt, inc.NoDeclaration, inc.Severity, inc.InitialSeverity, inc.PeakSeverity}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("metrics (-want +got):\n%s", d)
			}
		})
	}
}

func TestCountsAndFlags(t *testing.T) {
	parent := said("10:01", "U02BOB", "thread parent")
	reply := said("10:02", "U03CAROL", "reply")
	reply.ThreadTS = parent.TS
	edited := opsbot("10:03", ":large_blue_circle: Status: *identified*")
	edited.Edited = &archive.Edited{User: "UBOTOPS", TS: at("10:04")}
	ledger := opsbot("10:05", "wrap-up")
	ledger.User, ledger.Metadata = "UWRAPUP", &archive.Metadata{EventType: LedgerEventType}
	join := said("10:06", "U04DAVE", "<@U04DAVE> has joined the channel")
	join.Subtype = "channel_join"
	// Out of order on purpose: Build sorts and warns.
	arc := channelOf(t, declare("10:00", "SEV2"), parent, reply, edited, ledger, join)
	arc.Messages[0], arc.Messages[1] = arc.Messages[1], arc.Messages[0]
	tl := build(t, arc, compile(t, Defaults()))
	if tl.Metrics.Messages != 4 || tl.Metrics.Threads != 1 || tl.Metrics.Responders != 2 {
		t.Errorf("messages %d threads %d responders %d, want 4 1 2", tl.Metrics.Messages, tl.Metrics.Threads, tl.Metrics.Responders)
	}
	if ev := tl.Events[1]; ev.Kind != KindStatus || !ev.Edited {
		t.Errorf("event %+v: want the edited status update marked edited", ev)
	}
	if len(tl.Warnings) == 0 || tl.Warnings[0] != "messages were not in timestamp order; they were sorted" {
		t.Errorf("warnings %q: want the order warning", tl.Warnings)
	}
	for _, p := range tl.Participants {
		if p.User == "UWRAPUP" {
			t.Error("wrapup's own ledger message counted")
		}
	}
}

func TestDisplayZone(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	// 2026-03-29: London springs forward at 01:00 UTC (01:00 GMT -> 02:00 BST).
	d := time.Date(2026, 3, 28, 0, 0, 0, 0, time.UTC)
	ts := func(h, m int) archive.TS {
		return archive.TSFromTime(d.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute))
	}
	msg := func(ts archive.TS, text string) *archive.Message {
		return &archive.Message{TS: ts, User: "UBOTOPS", BotID: "B0OPS", Text: text}
	}
	arc := channelOf(t,
		msg(ts(23, 30), ":rotating_light: Incident declared: *DST* (SEV2) — commander <@U01ALICE>"),
		msg(ts(24+0, 59), ":large_blue_circle: Status: *monitoring*"),
		msg(ts(24+1, 30), ":white_check_mark: Resolved"))
	tl := build(t, arc, compile(t, Defaults()))
	if got := *tl.Metrics.TimeToResolve; got != 7200 {
		t.Errorf("time to resolve %ds, want 7200 (real time, whatever the clocks did)", got)
	}
	var shown []string
	for _, ev := range tl.Events {
		shown = append(shown, InZone(ev.At, london))
	}
	want := []string{"2026-03-28 23:30 GMT", "2026-03-29 00:59 GMT", "2026-03-29 02:30 BST"}
	if d := cmp.Diff(want, shown); d != "" {
		t.Errorf("InZone (-want +got):\n%s", d)
	}
}

func TestPermalink(t *testing.T) {
	tests := []struct {
		name, ws, ch string
		ts, thread   archive.TS
		want         *string
	}{
		{"top level", "https://acme.slack.com/", "C1", archive.MustTS("1774533731.000100"), 0, ptr("https://acme.slack.com/archives/C1/p1774533731000100")},
		{"parent itself", "https://acme.slack.com", "C1", archive.MustTS("1774533731.000100"), archive.MustTS("1774533731.000100"), ptr("https://acme.slack.com/archives/C1/p1774533731000100")},
		{"reply", "https://acme.slack.com", "C1", archive.MustTS("1774533800.000200"), archive.MustTS("1774533731.000100"),
			ptr("https://acme.slack.com/archives/C1/p1774533800000200?thread_ts=1774533731.000100&cid=C1")},
		{"unknown workspace", "", "C1", archive.MustTS("1774533731.000100"), 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := cmp.Diff(tt.want, Permalink(tt.ws, tt.ch, tt.ts, tt.thread)); d != "" {
				t.Error(d)
			}
		})
	}
}

func TestSeverityRank(t *testing.T) {
	tests := []struct {
		in, norm string
		rank     int
		ok       bool
	}{
		{"sev1", "SEV1", 1, true}, {"SEV-2", "SEV2", 2, true}, {"Sev 3", "SEV3", 3, true}, {"p1", "P1", 1, true},
		{"critical", "Critical", 1, true}, {"*Major*", "Major", 2, true}, {"Trivial", "Trivial", 4, true},
		{"HIGH", "High", 1, true}, {"low", "Low", 3, true}, {"purple", "purple", 0, false}, {"", "", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			rank, ok := SeverityRank(tt.in)
			if n := NormalizeSeverity(tt.in); n != tt.norm || rank != tt.rank || ok != tt.ok {
				t.Errorf("got %q %d %v, want %q %d %v", n, rank, ok, tt.norm, tt.rank, tt.ok)
			}
		})
	}
}

// TestOneParticipantPerBot: a bot's messages name it by its user's handle
// on some ("opsbot"), by its profile's name on others ("OpsBot"), with and
// without its bot ID: it is one participant, and no responder.
func TestOneParticipantPerBot(t *testing.T) {
	byUser := said("10:01", "UBOTOPS", "topic from the bot user")
	byProfile := opsbot("10:02", "a status line")
	byProfile.User = ""
	byNameOnly := &archive.Message{TS: at("10:03"), Type: "message", Subtype: "bot_message", Username: "OpsBot", Text: "no bot ID"}
	arc := channelOf(t, opsbot("10:00", "declared"), byUser, byProfile, byNameOnly, said("10:04", "U01ALICE", "ok"))
	tl := build(t, arc, compile(t, Defaults()))
	var bots []Participant
	for _, p := range tl.Participants {
		if p.Bot {
			bots = append(bots, p)
		}
	}
	if len(bots) != 1 || bots[0].Messages != 4 || tl.Metrics.Responders != 1 {
		t.Errorf("bots %+v, responders %d; want one bot with 4 messages and 1 responder", bots, tl.Metrics.Responders)
	}
}
