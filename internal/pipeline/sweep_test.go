package pipeline

import (
	"context"
	"testing"
	"time"

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/slackapi"
	"github.com/wrapup/wrapup/internal/demo"
	"github.com/wrapup/wrapup/internal/emulator"
	"github.com/wrapup/wrapup/internal/wire"
)

// chatopsChannel builds a small incident channel in the chatops format,
// resolved at the given time or still open.
func chatopsChannel(id, name string, start time.Time, resolvedAfter time.Duration, archived bool) *archive.Archive {
	bot := func(at time.Time, text string) *archive.Message {
		return &archive.Message{TS: archive.TSFromTime(at), Type: "message", BotID: "B07INCBOT1",
			BotProfile: &archive.BotProfile{Name: "IncidentBot"}, Text: text}
	}
	a := &archive.Archive{Channel: archive.Channel{ID: id, Name: name, Created: archive.Int(start.Unix()), Archived: archived}}
	a.Messages = []*archive.Message{
		bot(start, ":rotating_light: Incident declared: *Disk full on "+name+"* (SEV3) — commander <@U07ALICE01>"),
		{TS: archive.TSFromTime(start.Add(time.Minute)), Type: "message", User: "U07ALICE01", Text: "cleaning up /var/log"},
		bot(start.Add(2*time.Minute), ":large_blue_circle: Status: *identified* — log rotation broken"),
	}
	if resolvedAfter > 0 {
		a.Messages = append(a.Messages, bot(start.Add(resolvedAfter), ":white_check_mark: Resolved: disk at 40%"))
	}
	a.Users = []*archive.User{{ID: "U07ALICE01", Name: "alice"}}
	return a
}

func TestSweep(t *testing.T) {
	e := newEnv(t)
	now := time.Date(2026, 3, 27, 12, 0, 0, 0, time.UTC)
	for _, a := range []*archive.Archive{
		chatopsChannel("C07OPEN001", "incident-2026-03-27-still-open", now.Add(-3*time.Hour), 0, false),
		chatopsChannel("C07RECENT1", "incident-2026-03-27-just-resolved", now.Add(-90*time.Minute), time.Hour, false),
		chatopsChannel("C07DONE001", "incident-2026-03-20-archived", now.Add(-7*24*time.Hour), time.Hour, true),
		chatopsChannel("C07OTHER01", "random", now.Add(-7*24*time.Hour), time.Hour, false),
		chatopsChannel("C07FAILS01", "incident-2026-03-25-resolved", now.Add(-48*time.Hour), time.Hour, false),
	} {
		if err := e.stack.Seed(a); err != nil {
			t.Fatal(err)
		}
	}
	// Every thread fetch fails, so the demo channel (which has threads)
	// fails; the others must not notice.
	e.stack.Admin.SetFaults([]emulator.Fault{{Service: "slack", Method: "conversations.replies", Error: "fatal_error"}})

	slack := slackapi.New("xoxb-test", slackapi.Options{APIURL: e.url, Limiter: slackapi.NewLimiter(1000), MaxAttempts: 1})
	items, err := Sweep(context.Background(), SweepOptions{
		Run: Options{Config: e.cfg, OutDir: e.out, Tool: "wrapup test", Slack: slack, Tracker: wire.Tracker(e.cfg, e.getenv, "", 0)},
		Now: func() time.Time { return now },
	})
	got := map[string]string{}
	for _, it := range items {
		got[it.Channel] = it.Decision + ": " + it.Reason
		if it.Error != "" {
			got[it.Channel] = it.Decision + ": " + it.Error[:min(len(it.Error), 40)]
		}
	}
	want := map[string]string{
		demo.Channel:                        "failed",
		"incident-2026-03-27-still-open":    "skipped: not resolved (identified)",
		"incident-2026-03-27-just-resolved": "skipped: resolved 30m ago, within the 2h 0m grace period",
		"incident-2026-03-20-archived":      "skipped: archived",
		"incident-2026-03-25-resolved":      "ran: ",
	}
	for name, w := range want {
		g := got[name]
		if w == "failed" {
			if len(g) < 6 || g[:6] != "failed" {
				t.Errorf("%s: %q, want a failure (its threads' replies fail)", name, g)
			}
			continue
		}
		if g != w {
			t.Errorf("%s: %q, want %q", name, g, w)
		}
	}
	if _, ok := got["random"]; ok {
		t.Error("a channel without the prefix was swept")
	}
	if err != ErrSomeFailed {
		t.Errorf("err = %v, want ErrSomeFailed", err)
	}
}
