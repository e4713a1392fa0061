package slacktest_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/slack-go/slack"
	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/slacktest"
)

// base is the ts of the fixtures' first message.
const base = archive.TS(1_700_000_000_000_000)

// sec returns the ts i seconds after base.
func sec(i int) archive.TS { return base + archive.TS(i)*1_000_000 }

// newMessage builds a message as a source would read it: typed fields and
// Raw, with a field the model does not type, so tests can see Raw served.
func newMessage(tb testing.TB, fields map[string]any) *archive.Message {
	tb.Helper()
	if _, ok := fields["type"]; !ok {
		fields["type"] = "message"
	}
	fields["client_msg_id"] = fmt.Sprintf("cm-%v", fields["ts"])
	b, err := json.Marshal(fields)
	if err != nil {
		tb.Fatal(err)
	}
	var m archive.Message
	if err := json.Unmarshal(b, &m); err != nil {
		tb.Fatal(err)
	}
	return &m
}

// bot is the emulator's default bot user. The fixtures list it among
// their channels' members, as if it had been invited.
const bot = "U0EMUBOT"

// channelArchive builds a channel of n top-level messages one second apart,
// by U1 with text "m<i>", with U1 and the bot as members.
func channelArchive(tb testing.TB, id, name string, n int) *archive.Archive {
	tb.Helper()
	var flat []*archive.Message
	for i := range n {
		flat = append(flat, newMessage(tb, map[string]any{"ts": sec(i), "user": "U1", "text": fmt.Sprintf("m%d", i)}))
	}
	roots, _ := archive.Thread(flat)
	return &archive.Archive{
		Channel:  archive.Channel{ID: id, Name: name, Created: archive.Int(base / 1e6), Members: []string{"U1", bot}},
		Messages: roots,
		Users:    []*archive.User{{ID: "U1", Name: "alice", RealName: "Alice"}},
	}
}

// threadArchive builds a channel holding one parent at sec(0) with n
// replies, and one more top-level message after the thread, with the bot
// among its members.
func threadArchive(tb testing.TB, id string, n int) *archive.Archive {
	tb.Helper()
	flat := []*archive.Message{newMessage(tb, map[string]any{"ts": sec(0), "thread_ts": sec(0), "user": "U1",
		"text": "parent", "reply_count": n})}
	for i := 1; i <= n; i++ {
		flat = append(flat, newMessage(tb, map[string]any{"ts": sec(i), "thread_ts": sec(0), "user": "U2",
			"parent_user_id": "U1", "text": fmt.Sprintf("r%d", i)}))
	}
	flat = append(flat, newMessage(tb, map[string]any{"ts": sec(n + 1), "user": "U1", "text": "after"}))
	roots, _ := archive.Thread(flat)
	return &archive.Archive{Channel: archive.Channel{ID: id, Name: "thread", Members: []string{"U1", "U2", bot}}, Messages: roots,
		Users: []*archive.User{{ID: "U1", Name: "alice"}, {ID: "U2", Name: "bob"}}}
}

// start runs an emulator holding archives and returns it with a slack-go
// client using token.
func start(tb testing.TB, opts slacktest.Options, token string, archives ...*archive.Archive) (*slacktest.Server, string, *slack.Client) {
	tb.Helper()
	srv, url := slacktest.NewTestServer(tb, opts)
	for _, a := range archives {
		if err := srv.AddArchive(a); err != nil {
			tb.Fatal(err)
		}
	}
	return srv, url, slack.New(token, slack.OptionAPIURL(url+"/api/"))
}

// slackCode returns the Slack error code of err, or "" when it is none.
func slackCode(err error) string {
	var e slack.SlackErrorResponse
	if errors.As(err, &e) {
		return e.Err
	}
	if err != nil {
		return "not a slack error: " + err.Error()
	}
	return ""
}

// postForm posts a form body to url and returns the response body, for
// looking at the wire JSON itself.
func postForm(tb testing.TB, url, form string) string {
	tb.Helper()
	resp, err := http.Post(url, "application/x-www-form-urlencoded", strings.NewReader(form))
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
