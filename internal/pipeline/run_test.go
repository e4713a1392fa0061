package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/slackapi"
	"github.com/wrapup/wrapup/archive/slackexport"
	"github.com/wrapup/wrapup/archive/slacktest"
	"github.com/wrapup/wrapup/internal/config"
	"github.com/wrapup/wrapup/internal/demo"
	"github.com/wrapup/wrapup/internal/emulator"
	"github.com/wrapup/wrapup/internal/emustack"
	"github.com/wrapup/wrapup/internal/folder"
	"github.com/wrapup/wrapup/internal/wire"
	"github.com/wrapup/wrapup/trackers"
	"github.com/wrapup/wrapup/trackers/jiratest"
	"github.com/wrapup/wrapup/trackers/trackertest"
)

// env is the demo incident on the emulators, reached over HTTP by the real
// slack-go and go-jira clients.
type env struct {
	stack *emustack.Stack
	url   string
	cfg   *config.Config
	out   string
	locks string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	stack := emustack.New(emustack.Options{WorkspaceURL: "https://demo.slack.com/",
		JiraUsers: []jiratest.User{{AccountID: "acc-dave", Email: "dave@example.com", DisplayName: "Dave Diaz"}},
		Slack: func(o *slacktest.Options) {
			// wrapup's bot token, and a person's, for tests in which
			// people keep talking.
			o.Tokens = map[string]slacktest.Token{"xoxb-test": {}, humanToken: {UserID: "U07ALICE01"},
				otherAppToken: {UserID: "U07INCBOT1"}}
		}})
	a, err := demo.Archive(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := stack.Seed(a); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(stack)
	t.Cleanup(srv.Close)
	cfg := config.Default()
	cfg.Tracker.Kind = "jira"
	cfg.Tracker.Jira.URL = srv.URL
	return &env{stack: stack, url: srv.URL, cfg: cfg, out: filepath.Join(t.TempDir(), "postmortems"), locks: t.TempDir()}
}

// humanToken acts as Alice, a person in the demo channel; otherAppToken
// as the incident bot, another app in it.
const (
	humanToken    = "xoxp-alice"
	otherAppToken = "xoxb-incidentbot"
)

func (e *env) getenv(k string) string {
	return map[string]string{"JIRA_USER": "bot@example.com", "JIRA_TOKEN": "jira-token"}[k]
}

func (e *env) run(t *testing.T, mod func(*Options)) (*Result, error) {
	t.Helper()
	opts := Options{Config: e.cfg, Channel: demo.Channel, OutDir: e.out, Tool: "wrapup test",
		Slack:   slackapi.New("xoxb-test", slackapi.Options{APIURL: e.url, Limiter: slackapi.NewLimiter(1000)}),
		Tracker: wire.Tracker(e.cfg, e.getenv, "", 0),
		LockDir: e.locks, Settle: time.Millisecond}
	if mod != nil {
		mod(&opts)
	}
	return Run(context.Background(), opts)
}

func (e *env) calls(key string) int { return e.stack.Admin.Stats().Calls[key] }

func (e *env) state(t *testing.T) (posted, issues int, archived bool) {
	t.Helper()
	st := e.stack.Admin.State()
	s := mustJSON(t, st)
	posted = strings.Count(s, `"text":":hourglass_flowing_sand:`) + strings.Count(s, `"text":":memo: *Wrap-up`)
	issues = strings.Count(s, `"key":"OPS-`)
	archived = strings.Contains(s, `"name":"`+demo.Channel+`","is_archived":true`) ||
		strings.Contains(s, `"is_archived":true,"name":"`+demo.Channel+`"`)
	return posted, issues, archived
}

func TestRunEndToEnd(t *testing.T) {
	e := newEnv(t)
	res, err := e.run(t, nil)
	if err != nil {
		t.Fatalf("run: %v (notes %v)", err, res.Notes)
	}
	wantDir := filepath.Join(e.out, "2026-03-26-"+demo.Channel)
	if res.Dir != wantDir || !res.Archived || len(res.Tickets) != 4 || res.Title != "Checkout errors" {
		t.Fatalf("result %+v", res)
	}
	for _, tk := range res.Tickets {
		if tk.ID == "" || tk.Status != "created" {
			t.Errorf("ticket %+v", tk)
		}
	}
	for _, f := range []string{"postmortem.md", "postmortem.html", "timeline.json", folder.RecordName, "archive/manifest.json"} {
		if _, err := os.Stat(filepath.Join(wantDir, f)); err != nil {
			t.Error(err)
		}
	}
	man, err := slackexport.Verify(filepath.Join(wantDir, "archive"), nil)
	if err != nil {
		t.Fatal(err)
	}
	// The seed's 26 top-level messages and 4 replies, and wrapup's own
	// wrap-up message, which stays in the record.
	if man.Counts.Messages != 27 || man.Counts.Replies != 4 {
		t.Errorf("archive counts %+v, want 27 messages (the wrap-up message included) and 4 replies", man.Counts)
	}
	kept, err := slackexport.ReadChannel(filepath.Join(wantDir, "archive"), demo.Channel, slackexport.Options{})
	if err != nil {
		t.Fatal(err)
	}
	own := 0
	for m := range kept.All() {
		if m.Metadata != nil && m.Metadata.EventType == "wrapup_ledger" && strings.Contains(m.Text, "Wrap-up: Checkout errors") {
			own++
		}
	}
	if own != 1 {
		t.Errorf("the archive holds %d final wrap-up messages, want 1", own)
	}
	rec, err := folder.LoadRecord(filepath.Join(wantDir, folder.RecordName))
	if err != nil || !rec.Complete || !rec.Archived || len(rec.Steps) != len(Steps) {
		t.Errorf("record %+v %v", rec, err)
	}
	// The record says honestly what the archive cannot cover.
	if g := rec.ArchiveGap; g == nil || g.To.Before(g.From) || g.To.Sub(g.From) > time.Minute || !strings.Contains(g.Why, "thread replies") {
		t.Errorf("archive gap %+v", rec.ArchiveGap)
	}
	if posted, issues, archived := e.state(t); posted != 1 || issues != 4 || !archived {
		t.Errorf("posted %d, issues %d, archived %v", posted, issues, archived)
	}
	md, _ := os.ReadFile(filepath.Join(wantDir, "postmortem.md"))
	if bytes.Contains(md, []byte("hunter2")) || bytes.Contains(md, []byte("xoxb-1234567890")) {
		t.Error("a pasted secret reached the postmortem")
	}
	raw, _ := os.ReadFile(filepath.Join(wantDir, "archive", demo.Channel, "2026-03-26.json"))
	if !bytes.Contains(raw, []byte("hunter2")) {
		t.Error("the archive must keep messages as they were")
	}

	t.Run("rerun is a no-op", func(t *testing.T) {
		before := e.stack.Admin.Stats().Calls
		res, err := e.run(t, nil)
		if err != nil || !res.AlreadyDone {
			t.Fatalf("%+v %v", res, err)
		}
		after := e.stack.Admin.Stats().Calls
		for _, k := range []string{"chat.postMessage", "chat.update", "conversations.archive", "conversations.history", "jira POST /rest/api/2/issue"} {
			if after[k] != before[k] {
				t.Errorf("%s called %d more times", k, after[k]-before[k])
			}
		}
	})

	t.Run("output folder lost after archiving: a clear error, nothing written", func(t *testing.T) {
		if err := os.RemoveAll(e.out); err != nil {
			t.Fatal(err)
		}
		before := e.stack.Admin.Stats().Calls
		_, err := e.run(t, nil)
		if !errors.Is(err, slackapi.ErrArchived) || !strings.Contains(err.Error(), "unarchive") || !strings.Contains(err.Error(), "wrapup render --from") {
			t.Fatalf("err = %v, want ErrArchived naming the two ways on", err)
		}
		after := e.stack.Admin.Stats().Calls
		for _, k := range []string{"chat.postMessage", "chat.update", "conversations.join", "conversations.history", "jira POST /rest/api/2/issue"} {
			if after[k] != before[k] {
				t.Errorf("%s called %d times on an archived channel", k, after[k]-before[k])
			}
		}
	})
}

// TestOutputLostBeforeArchiving: a run that filed everything and died
// before archiving, whose output folder is gone (a CI runner's), is
// finished by the rerun with no second ticket and no second message: the
// Slack ledger knows what was filed.
func TestOutputLostBeforeArchiving(t *testing.T) {
	e := newEnv(t)
	e.stack.Admin.SetFaults([]emulator.Fault{{Service: "slack", Method: "conversations.archive", Error: "restricted_action"}})
	if res, err := e.run(t, nil); err == nil || res.Archived {
		t.Fatalf("the run with archiving down succeeded: %+v", res)
	}
	e.stack.Admin.SetFaults(nil)
	if err := os.RemoveAll(e.out); err != nil {
		t.Fatal(err)
	}
	res, err := e.run(t, nil)
	if err != nil || !res.Archived {
		t.Fatalf("%+v %v", res, err)
	}
	if posted, issues, archived := e.state(t); posted != 1 || issues != 4 || !archived {
		t.Errorf("posted %d, issues %d, archived %v after the rerun", posted, issues, archived)
	}
	for _, tk := range res.Tickets {
		if tk.Status != "recorded" && tk.Status != "found" {
			t.Errorf("ticket %+v was not found in a ledger", tk)
		}
	}
}

func TestTrackerDownKeepsChannelOpen(t *testing.T) {
	e := newEnv(t)
	// A create answered 503 may have taken effect (issue 11): the rerun
	// waits out tracker.jira.search_lag before filing, on a clock that
	// moves only when wrapup waits.
	clk := trackertest.NewClock()
	scaled := func(o *Options) { o.Now, o.Sleep = clk.Now, clk.Sleep }
	e.stack.Admin.SetFaults([]emulator.Fault{{Service: "jira", Method: "POST", Path: "/rest/api/2/issue", After: 2, Status: 503}})
	res, err := e.run(t, scaled)
	if err == nil || res.Archived {
		t.Fatalf("run with the tracker down: %+v %v", res, err)
	}
	if _, _, archived := e.state(t); archived {
		t.Fatal("the channel was archived although filing failed")
	}
	e.stack.Admin.SetFaults(nil)
	res, err = e.run(t, scaled)
	if err != nil || !res.Archived {
		t.Fatalf("rerun: %+v %v", res, err)
	}
	if !strings.Contains(strings.Join(res.Notes, "\n"), "waiting until") {
		t.Errorf("the rerun did not say it waited for the search: %q", res.Notes)
	}
	if posted, issues, _ := e.state(t); posted != 1 || issues != 4 {
		t.Errorf("posted %d, issues %d", posted, issues)
	}
}

func TestArchiveRestricted(t *testing.T) {
	e := newEnv(t)
	e.stack.Admin.SetFaults([]emulator.Fault{{Service: "slack", Method: "conversations.archive", Error: "restricted_action"}})
	res, err := e.run(t, nil)
	if err == nil || !strings.Contains(err.Error(), "forbids") {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(filepath.Join(res.Dir, "postmortem.md")); err != nil {
		t.Error("the postmortem was not kept")
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	e := newEnv(t)
	// A dry run may not join (a join is a write people see): the app was
	// invited, as the README says to do before a first dry run.
	if err := e.stack.Slack.Invite("C07CHECKOUT", "U0EMUBOT"); err != nil {
		t.Fatal(err)
	}
	var plan bytes.Buffer
	res, err := e.run(t, func(o *Options) { o.DryRun, o.Plan = true, &plan })
	if err != nil {
		t.Fatalf("%+v %v", res, err)
	}
	if _, err := os.Stat(e.out); !os.IsNotExist(err) {
		t.Errorf("dry run wrote %s", e.out)
	}
	if posted, issues, archived := e.state(t); posted != 0 || issues != 0 || archived {
		t.Errorf("dry run posted %d, filed %d, archived %v", posted, issues, archived)
	}
	for _, want := range []string{"would post the wrap-up message", "would file", "would write postmortem.md", "would archive #" + demo.Channel} {
		if !strings.Contains(plan.String(), want) {
			t.Errorf("plan lacks %q:\n%s", want, plan.String())
		}
	}
}

func TestNoCloseAndUnresolved(t *testing.T) {
	e := newEnv(t)
	res, err := e.run(t, func(o *Options) { o.NoClose = true })
	if err != nil || res.Archived {
		t.Fatalf("%+v %v", res, err)
	}
	if _, _, archived := e.state(t); archived {
		t.Error("--no-close archived the channel")
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestChannelArchivedByAHuman: Slack removed the app when a person
// archived the channel, so wrapup can neither read nor join it; with no
// record that wrapup archived it, the run fails and names the two ways on,
// and touches nothing.
func TestChannelArchivedByAHuman(t *testing.T) {
	e := newEnv(t)
	a := chatopsChannel("C07HUMAN01", "incident-2026-03-20-human-archived",
		time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC), time.Hour, true)
	a.Channel.Members = append(a.Channel.Members, "U0EMUBOT") // it was, before the archiving
	if err := e.stack.Seed(a); err != nil {
		t.Fatal(err)
	}
	res, err := e.run(t, func(o *Options) { o.Channel = "incident-2026-03-20-human-archived" })
	if !errors.Is(err, slackapi.ErrArchived) {
		t.Fatalf("%+v %v", res, err)
	}
	for _, want := range []string{"not by wrapup", "unarchive #incident-2026-03-20-human-archived", "wrapup render --from"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error does not say %q: %v", want, err)
		}
	}
	for _, k := range []string{"conversations.archive", "chat.postMessage", "conversations.history", "jira POST /rest/api/2/issue"} {
		if n := e.calls(k); n != 0 {
			t.Errorf("%s called %d times on an archived channel", k, n)
		}
	}
	if res.Archived {
		t.Error("the result says wrapup archived it")
	}
}

func TestAnnounceOnce(t *testing.T) {
	e := newEnv(t)
	// Another incident's announcement is already there: it must be left
	// alone, and this incident's posted beside it. The app is not a
	// member of the public announce channel yet: it joins.
	ann := &archive.Archive{Channel: archive.Channel{ID: "C07ANNOUNCE", Name: "incidents-postmortems", Members: []string{"U07ALICE01"}}}
	ann.Messages = []*archive.Message{{TS: archive.MustTS("1772000000.000100"), Type: "message", BotID: "B0EMUBOT",
		Text: ":memo: *Wrap-up: an older incident*", Metadata: &archive.Metadata{EventType: AnnounceEventType,
			EventPayload: []byte(`{"channel_id":"C07OTHERINC","channel":"incident-2026-03-01-other"}`)}}}
	if err := e.stack.Seed(ann); err != nil {
		t.Fatal(err)
	}
	e.cfg.Close.AnnounceChannel = "incidents-postmortems"
	// The first run dies before archiving, after announcing; its output
	// folder is lost; the rerun finds its announcement and edits it.
	e.stack.Admin.SetFaults([]emulator.Fault{{Service: "slack", Method: "conversations.archive", Error: "restricted_action"}})
	if res, err := e.run(t, nil); err == nil {
		t.Fatalf("the run with archiving down succeeded: %+v", res)
	}
	e.stack.Admin.SetFaults(nil)
	if err := os.RemoveAll(e.out); err != nil {
		t.Fatal(err)
	}
	res, err := e.run(t, nil)
	if err != nil || !res.Archived {
		t.Fatalf("%+v %v", res, err)
	}
	st := mustJSON(t, e.stack.Admin.State())
	if n := strings.Count(st, `"channel":"C07ANNOUNCE"`); n != 1 {
		t.Errorf("%d announcements posted, want 1:\n%s", n, st)
	}
	if !strings.Contains(st, `Channel: \u003c#C07CHECKOUT\u003e`) && !strings.Contains(st, `Channel: <#C07CHECKOUT>`) {
		t.Errorf("the announcement does not name the incident channel:\n%s", st)
	}
	if e.calls("chat.postMessage") != 2 {
		t.Errorf("%d posts, want the wrap-up message and one announcement", e.calls("chat.postMessage"))
	}
	if e.calls("conversations.join") < 1 {
		t.Error("the app never joined the announce channel")
	}
}

// TestAnnounceInAPrivateChannel: the app cannot join a private announce
// channel; the run says who must invite it, and the channel stays open.
func TestAnnounceInAPrivateChannel(t *testing.T) {
	e := newEnv(t)
	ann := &archive.Archive{Channel: archive.Channel{ID: "G07ANNOUNCE", Name: "incidents-private", Private: true,
		Members: []string{"U07ALICE01"}}}
	if err := e.stack.Seed(ann); err != nil {
		t.Fatal(err)
	}
	e.cfg.Close.AnnounceChannel = "G07ANNOUNCE"
	res, err := e.run(t, nil)
	if err == nil || !strings.Contains(err.Error(), "/invite @wrapup") || res.Archived {
		t.Fatalf("err = %v, archived %v; want advice to invite the app, and the channel open", err, res.Archived)
	}
	if _, _, archived := e.state(t); archived {
		t.Error("the incident channel was archived though the announcement failed")
	}
}

func TestLookupFailureKeepsChannelOpen(t *testing.T) {
	e := newEnv(t)
	e.stack.Admin.SetFaults([]emulator.Fault{{Service: "jira", Method: "GET", Path: "/rest/api/2/search/jql", Status: 401}})
	res, err := e.run(t, nil)
	if err == nil || res.Archived {
		t.Fatalf("a failed lookup still closed the channel: %+v %v", res, err)
	}
	if _, _, archived := e.state(t); archived {
		t.Fatal("the channel was archived although nothing was filed")
	}
	e.stack.Admin.SetFaults(nil)
	if res, err := e.run(t, nil); err != nil || !res.Archived {
		t.Fatalf("rerun: %+v %v", res, err)
	}
	if _, issues, _ := e.state(t); issues != 4 {
		t.Errorf("%d issues after the rerun, want 4", issues)
	}
}

// TestLateMessagesAreArchived: what is posted after an export reaches the
// archive before the channel closes, whether it came between two runs or
// during one.
func TestLateMessagesAreArchived(t *testing.T) {
	e := newEnv(t)
	poster := slackapi.New(humanToken, slackapi.Options{APIURL: e.url, Limiter: slackapi.NewLimiter(1000)})
	post := func(text string) {
		t.Helper()
		if _, err := poster.Post(context.Background(), "C07CHECKOUT", text, archive.Metadata{EventType: "human_note"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.run(t, func(o *Options) { o.NoClose = true }); err != nil {
		t.Fatal(err)
	}
	post("between the runs: customers confirm checkout works")
	// And one more while the second run files its tickets.
	res, err := e.run(t, func(o *Options) {
		inner := o.Tracker
		var once sync.Once
		o.Tracker = func(channel, link string) (trackers.Service, int, error) {
			once.Do(func() { post("during the run: thanks all\nAI: page the payments team on pool alerts") })
			return inner(channel, link)
		}
	})
	if err != nil || !res.Archived {
		t.Fatalf("%+v %v", res, err)
	}
	if _, issues, _ := e.state(t); issues != 5 {
		t.Errorf("%d issues, want 5: the action item posted during the run must be filed before the channel closes", issues)
	}
	var raw []byte
	days, _ := filepath.Glob(filepath.Join(res.Dir, "archive", demo.Channel, "*.json"))
	for _, d := range days {
		b, _ := os.ReadFile(d)
		raw = append(raw, b...)
	}
	for _, want := range []string{"between the runs", "during the run"} {
		if !bytes.Contains(raw, []byte(want)) {
			t.Errorf("the archive lacks the message %q posted after an export", want)
		}
	}
	if _, err := slackexport.Verify(filepath.Join(res.Dir, "archive"), nil); err != nil {
		t.Error(err)
	}
}

// TestBusyChannelStaysOpen: a channel that keeps talking while wrapup
// closes it is not archived with messages missing; the run gives up after
// a few rounds and the next run tries again.
func TestBusyChannelStaysOpen(t *testing.T) {
	e := newEnv(t)
	poster := slackapi.New(humanToken, slackapi.Options{APIURL: e.url, Limiter: slackapi.NewLimiter(1000)})
	res, err := e.run(t, func(o *Options) {
		inner := o.Tracker
		o.Tracker = func(channel, link string) (trackers.Service, int, error) {
			if _, err := poster.Post(context.Background(), "C07CHECKOUT", "still talking", archive.Metadata{EventType: "human_note"}); err != nil {
				t.Error(err)
			}
			return inner(channel, link)
		}
	})
	if !errors.Is(err, errLateMessages) || res.Archived {
		t.Fatalf("err = %v, archived %v", err, res.Archived)
	}
	if _, _, archived := e.state(t); archived {
		t.Error("a channel still receiving messages was archived")
	}
}
