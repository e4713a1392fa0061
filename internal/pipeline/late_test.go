package pipeline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/slackapi"
	"github.com/wrapup/wrapup/archive/slackexport"
	"github.com/wrapup/wrapup/internal/demo"
	"github.com/wrapup/wrapup/internal/emulator"
	"github.com/wrapup/wrapup/internal/folder"
	"github.com/wrapup/wrapup/trackers"
)

// archiveText is every day file of a run's archive, concatenated.
func archiveText(t *testing.T, dir, channel string) []byte {
	t.Helper()
	var raw []byte
	days, _ := filepath.Glob(filepath.Join(dir, "archive", channel, "*.json"))
	for _, d := range days {
		b, err := os.ReadFile(d)
		if err != nil {
			t.Fatal(err)
		}
		raw = append(raw, b...)
	}
	return raw
}

// duringFiling runs f once, when the run builds its tracker for filing
// (the first call is the early token check).
func duringFiling(o *Options, f func()) {
	inner := o.Tracker
	calls := 0
	o.Tracker = func(channel, link string) (trackers.Service, int, error) {
		if calls++; calls == 2 {
			f()
		}
		return inner(channel, link)
	}
}

func TestReplyToTheWrapupMessageIsKept(t *testing.T) {
	e := newEnv(t)
	res, err := e.run(t, func(o *Options) { o.NoClose = true })
	if err != nil {
		t.Fatal(err)
	}
	api := slack.New("xoxb-test", slack.OptionAPIURL(e.url+"/api/"))
	if _, _, err := api.PostMessage("C07CHECKOUT", slack.MsgOptionText("thanks!\nAI: also fix the retry storm", false),
		slack.MsgOptionTS(res.LedgerTS)); err != nil {
		t.Fatal(err)
	}
	res, err = e.run(t, nil)
	if err != nil || !res.Archived {
		t.Fatalf("%+v %v", res, err)
	}
	if !bytes.Contains(archiveText(t, res.Dir, demo.Channel), []byte("also fix the retry storm")) {
		t.Error("a reply to the wrap-up message was lost")
	}
	if _, issues, _ := e.state(t); issues != 5 {
		t.Errorf("%d issues, want 5: the action item in the reply must be filed", issues)
	}
}

func TestLateReplyInAnOldThread(t *testing.T) {
	e := newEnv(t)
	start := time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC)
	a := chatopsChannel("C07LONG001", "incident-2026-03-20-long", start, 6*time.Hour, false)
	first := a.Messages[1]
	first.ReplyCount, first.LatestReply, first.ThreadTS = 1, first.TS+1, first.TS
	a.Messages = append(a.Messages, &archive.Message{TS: first.TS + 1, ThreadTS: first.TS, Type: "message", User: "U07ALICE01", Text: "looking"})
	for i := range 250 { // more than one page of recent history
		a.Messages = append(a.Messages, &archive.Message{TS: archive.TSFromTime(start.Add(3*time.Minute + time.Duration(i)*time.Second)),
			Type: "message", User: "U07ALICE01", Text: fmt.Sprintf("chatter %d", i)})
	}
	a.Messages, _ = archive.Thread(a.Messages)
	if err := e.stack.Seed(a); err != nil {
		t.Fatal(err)
	}
	api := slack.New("xoxb-test", slack.OptionAPIURL(e.url+"/api/"))
	res, err := e.run(t, func(o *Options) {
		o.Channel = "incident-2026-03-20-long"
		duringFiling(o, func() {
			if _, _, err := api.PostMessage("C07LONG001", slack.MsgOptionText("late word in the first thread", false),
				slack.MsgOptionTS(first.TS.String())); err != nil {
				t.Error(err)
			}
		})
	})
	if err != nil || !res.Archived {
		t.Fatalf("%+v %v", res, err)
	}
	if !bytes.Contains(archiveText(t, res.Dir, "incident-2026-03-20-long"), []byte("late word in the first thread")) {
		t.Error("a late reply in a thread older than the newest 200 messages was lost")
	}
}

func TestEditAfterExport(t *testing.T) {
	e := newEnv(t)
	poster := slack.New(humanToken, slack.OptionAPIURL(e.url+"/api/"))
	_, ts, err := poster.PostMessage("C07CHECKOUT", slack.MsgOptionText("status: unclear", false))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.run(t, func(o *Options) { o.NoClose = true }); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := poster.UpdateMessage("C07CHECKOUT", ts, slack.MsgOptionText("status: clear\nAI: write down what was unclear", false)); err != nil {
		t.Fatal(err)
	}
	res, err := e.run(t, nil)
	if err != nil || !res.Archived {
		t.Fatalf("%+v %v", res, err)
	}
	if !bytes.Contains(archiveText(t, res.Dir, demo.Channel), []byte("write down what was unclear")) {
		t.Error("an edit made after the export is not in the archive")
	}
	if _, issues, _ := e.state(t); issues != 5 {
		t.Errorf("%d issues, want 5: the action item the edit added must be filed", issues)
	}
}

// TestArchivedByAHumanMidway: a person archives the channel after a run
// failed half-way. Slack removed the app with the archiving, so the rerun
// can do nothing more in Slack or the tracker; it fails, and points at the
// verified archive the first run left.
func TestArchivedByAHumanMidway(t *testing.T) {
	e := newEnv(t)
	e.stack.Admin.SetFaults([]emulator.Fault{{Service: "jira", Method: "POST", Path: "/rest/api/2/issue", After: 2, Status: 503}})
	first, err := e.run(t, nil)
	if err == nil {
		t.Fatal("the run with the tracker down succeeded")
	}
	e.stack.Admin.SetFaults(nil)
	if err := slack.New(humanToken, slack.OptionAPIURL(e.url+"/api/")).ArchiveConversation("C07CHECKOUT"); err != nil {
		t.Fatal(err)
	}
	res, err := e.run(t, nil)
	if !errors.Is(err, slackapi.ErrArchived) || res.Archived {
		t.Fatalf("rerun after a person archived the channel: %+v %v", res, err)
	}
	if !strings.Contains(err.Error(), "wrapup render --from "+filepath.Join(first.Dir, "archive")) {
		t.Errorf("the error does not point at the verified archive: %v", err)
	}
	if _, issues, _ := e.state(t); issues != 2 {
		t.Errorf("%d issues, want the 2 the first run filed", issues)
	}
	if _, err := slackexport.Verify(filepath.Join(first.Dir, "archive"), nil); err != nil {
		t.Error(err)
	}
}

// TestBroadcastIsNotALateMessage: a thread_broadcast is a reply in the
// archive and a top-level message in history; it must not look new.
func TestBroadcastIsNotALateMessage(t *testing.T) {
	e := newEnv(t)
	start := time.Date(2026, 3, 21, 9, 0, 0, 0, time.UTC)
	a := chatopsChannel("C07BCAST01", "incident-2026-03-21-broadcast", start, time.Hour, false)
	parent := a.Messages[1]
	parent.ThreadTS, parent.ReplyCount, parent.LatestReply = parent.TS, 1, parent.TS+5
	a.Messages = append(a.Messages, &archive.Message{TS: parent.TS + 5, ThreadTS: parent.TS, Type: "message",
		Subtype: "thread_broadcast", User: "U07ALICE01", Text: "for everyone: disk cleaned"})
	a.Messages, _ = archive.Thread(a.Messages)
	if err := e.stack.Seed(a); err != nil {
		t.Fatal(err)
	}
	res, err := e.run(t, func(o *Options) { o.Channel = "incident-2026-03-21-broadcast" })
	if err != nil || !res.Archived {
		t.Fatalf("%+v %v", res, err)
	}
	for _, n := range res.Notes {
		if strings.Contains(n, "changed after the export") {
			t.Errorf("a broadcast reply was taken for a late message: %q", n)
		}
	}
}

// TestKilledRightAfterArchiving: a run that asked Slack to archive the
// channel and died before it wrote down the answer left archive_asked_at
// in wrapup.json. Slack removed the app with the archiving, so the rerun
// cannot look; the record says wrapup asked, so the wrap-up is complete.
func TestKilledRightAfterArchiving(t *testing.T) {
	e := newEnv(t)
	res, err := e.run(t, nil)
	if err != nil || !res.Archived {
		t.Fatalf("%+v %v", res, err)
	}
	path := filepath.Join(res.Dir, folder.RecordName)
	rec, err := folder.LoadRecord(path)
	if err != nil || rec.ArchiveAsked == nil {
		t.Fatalf("record %+v %v: no archive_asked_at", rec, err)
	}
	// As the record stood in the instant after the archive call.
	rec.Archived, rec.Complete = false, false
	delete(rec.Steps, StepArchive)
	if err := rec.Save(path); err != nil {
		t.Fatal(err)
	}
	again, err := e.run(t, nil)
	if err != nil || !again.AlreadyDone || !again.Archived {
		t.Fatalf("rerun: %+v %v", again, err)
	}
	if rec, _ := folder.LoadRecord(path); !rec.Complete || !rec.Archived {
		t.Errorf("the rerun did not complete the record: %+v", rec)
	}
	if n := e.calls("conversations.archive"); n != 1 {
		t.Errorf("%d archive calls", n)
	}
}

// TestManyTicketsFitTheMessage: with 90 action items filed, the wrap-up
// message's list would pass chat.update's 4,000 characters
// (msg_too_long); the message lists the first ones and how many more, and
// the run archives the channel.
func TestManyTicketsFitTheMessage(t *testing.T) {
	e := newEnv(t)
	start := time.Date(2026, 3, 22, 9, 0, 0, 0, time.UTC)
	a := chatopsChannel("C07MANY001", "incident-2026-03-22-many-items", start, 2*time.Hour, false)
	for i := range 90 {
		a.Messages = append(a.Messages, &archive.Message{TS: archive.TSFromTime(start.Add(time.Hour + time.Duration(i)*time.Second)),
			Type: "message", User: "U07ALICE01", Text: fmt.Sprintf("AI: follow-up number %d for the disk alerts", i)})
	}
	a.Messages, _ = archive.Thread(a.Messages)
	if err := e.stack.Seed(a); err != nil {
		t.Fatal(err)
	}
	res, err := e.run(t, func(o *Options) { o.Channel = "incident-2026-03-22-many-items" })
	if err != nil || !res.Archived || len(res.Tickets) != 90 {
		t.Fatalf("%+v %v", res, err)
	}
	st := e.stack.Admin.State()
	var final string
	for _, m := range mustPosted(t, st) {
		if m.Channel == "C07MANY001" {
			final = m.Text
		}
	}
	if len(final) > MaxText || !strings.Contains(final, "more: see the postmortem") || !strings.Contains(final, "Action items filed (90)") {
		t.Errorf("final message (%d bytes):\n%s", len(final), final)
	}
}

// mustPosted reads the emulator state's posted messages.
func mustPosted(t *testing.T, st any) []struct{ Channel, Text string } {
	t.Helper()
	var doc struct {
		Slack struct {
			Posted []struct{ Channel, Text string } `json:"posted"`
		} `json:"slack"`
	}
	if err := json.Unmarshal([]byte(mustJSON(t, st)), &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Slack.Posted
}
