package slackapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/slackapi"
	"github.com/wrapup/wrapup/archive/slackexport"
	"github.com/wrapup/wrapup/archive/slacktest"
	"github.com/wrapup/wrapup/internal/emulator"
)

const token = "xoxb-test"

// base is the ts of the fixtures' first message.
const base = archive.TS(1_774_533_600_000_000)

func sec(i int) archive.TS { return base + archive.TS(i)*1_000_000 }

// msg builds a message as a source reads it: typed fields and Raw.
func msg(tb testing.TB, fields map[string]any) *archive.Message {
	tb.Helper()
	if _, ok := fields["type"]; !ok {
		fields["type"] = "message"
	}
	b, err := json.Marshal(fields)
	if err != nil {
		tb.Fatal(err)
	}
	m, err := archive.DecodeMessage(b)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// channel builds an archive from flat messages.
func channel(tb testing.TB, id, name string, flat ...*archive.Message) *archive.Archive {
	tb.Helper()
	roots, warnings := archive.Thread(flat)
	if len(warnings) > 0 {
		tb.Fatalf("fixture: %v", warnings)
	}
	return &archive.Archive{Channel: archive.Channel{ID: id, Name: name, Created: archive.Int(base / 1e6), Creator: "U1"},
		Messages: roots,
		Users: []*archive.User{{ID: "U1", Name: "alice", RealName: "Alice"}, {ID: "U2", Name: "bob", RealName: "Bob"},
			{ID: "U3", Name: "carol"}}}
}

// flatChannel is n top-level messages one second apart.
func flatChannel(tb testing.TB, id string, n int) *archive.Archive {
	tb.Helper()
	flat := make([]*archive.Message, n)
	for i := range flat {
		flat[i] = msg(tb, map[string]any{"ts": sec(i), "user": "U1", "text": fmt.Sprintf("m%d", i)})
	}
	return channel(tb, id, strings.ToLower(id), flat...)
}

// threadChannel is one parent with n replies, and one message after it.
func threadChannel(tb testing.TB, id string, n int) *archive.Archive {
	tb.Helper()
	flat := []*archive.Message{msg(tb, map[string]any{"ts": sec(0), "thread_ts": sec(0), "user": "U1",
		"text": "parent", "reply_count": n, "latest_reply": sec(n)})}
	for i := 1; i <= n; i++ {
		flat = append(flat, msg(tb, map[string]any{"ts": sec(i), "thread_ts": sec(0), "user": "U2",
			"parent_user_id": "U1", "text": fmt.Sprintf("r%d", i)}))
	}
	flat = append(flat, msg(tb, map[string]any{"ts": sec(n + 1), "user": "U1", "text": "after"}))
	return channel(tb, id, strings.ToLower(id), flat...)
}

// env is an emulator and a client pointed at it.
type env struct {
	srv *slacktest.Server
	url string
	c   *slackapi.Client
}

// start runs an emulator holding archives and a client with fast retries.
func start(tb testing.TB, opts slacktest.Options, archives ...*archive.Archive) *env {
	tb.Helper()
	srv, url := slacktest.NewTestServer(tb, opts)
	for _, a := range archives {
		if err := srv.AddArchive(a); err != nil {
			tb.Fatal(err)
		}
	}
	return &env{srv: srv, url: url, c: newClient(url, 1e6)}
}

// newClient returns a client for the emulator at url, its limiter sped up
// by scale, retrying fast.
func newClient(url string, scale float64) *slackapi.Client {
	return slackapi.New(token, slackapi.Options{APIURL: url, Limiter: slackapi.NewLimiter(scale),
		Backoff: 5 * time.Millisecond, MaxBackoff: 50 * time.Millisecond, CallTimeout: 2 * time.Second})
}

func (e *env) faults(tb testing.TB, faults ...emulator.Fault) {
	tb.Helper()
	if err := e.srv.Admin().SetFaults(faults); err != nil {
		tb.Fatal(err)
	}
}

// calls returns the emulator's count of Web API calls, file downloads
// excluded, and of 429s.
func (e *env) calls() (calls, limited int) {
	st := e.srv.Admin().Stats()
	for k, n := range st.Calls {
		if !strings.HasPrefix(k, "slack ") {
			calls += n
		}
	}
	for _, n := range st.RateLimited {
		limited += n
	}
	return calls, limited
}

// export exports channel into a temporary folder and reads it back.
func export(tb testing.TB, c *slackapi.Client, channel string, opts slackapi.ExportOptions) (*slackapi.Result, *archive.Archive) {
	tb.Helper()
	res, err := c.Export(tb.Context(), channel, opts)
	if err != nil {
		tb.Fatalf("export %s: %v", channel, err)
	}
	dir := filepath.Join(tb.TempDir(), "archive")
	if _, err := slackexport.WriteVerified(dir, res.Archive, res.Counts, slackexport.WriteOptions{Tool: "test"}); err != nil {
		tb.Fatal(err)
	}
	back, err := slackexport.ReadChannel(dir, res.Archive.Channel.ID, slackexport.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return res, back
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// fileURLs are the fields the emulator rewrites to point at itself.
var fileURLs = []string{"url_private", "url_private_download"}

// rawView is a message's JSON as a value, without the file URLs and
// without what the archive writer adds to a thread parent: its replies list
// (conversations.history sends none) and reply_users when it says what the
// replies say (the seeds built in code have none). slackexport's tests
// check what the writer adds.
func rawView(m *archive.Message) any {
	var v map[string]any
	if err := json.Unmarshal(m.Raw, &v); err != nil {
		return "invalid JSON: " + err.Error()
	}
	delete(v, "replies")
	var users []any
	for _, r := range m.Replies {
		if r.User != "" && !slices.Contains(users, any(r.User)) {
			users = append(users, r.User)
		}
	}
	if got, _ := json.Marshal(v["reply_users"]); string(got) == mustJSON(users) {
		delete(v, "reply_users")
	}
	strip := func(f any) {
		if obj, ok := f.(map[string]any); ok {
			for _, k := range fileURLs {
				delete(obj, k)
			}
		}
	}
	if files, ok := v["files"].([]any); ok {
		for _, f := range files {
			strip(f)
		}
	}
	strip(v["file"])
	return v
}

// msgView is what a round trip must keep of a message: its typed fields,
// its replies' ts, and its JSON with the file URLs the emulator rewrites
// left out.
type msgView struct {
	TS, ThreadTS, LatestReply archive.TS
	Type, Subtype, User, Text string
	BotID, Username, AppID    string
	BotProfile                *archive.BotProfile
	Blocks                    any
	Attachments               []archive.Attachment
	Files                     []archive.File
	Reactions                 []archive.Reaction
	Edited                    *archive.Edited
	Metadata                  *archive.Metadata
	ParentUserID              string
	ReplyCount                archive.Int
	Replies                   []archive.TS
	Raw                       any
}

func views(a *archive.Archive) []msgView {
	var out []msgView
	for m := range a.All() {
		v := msgView{TS: m.TS, ThreadTS: m.ThreadTS, LatestReply: m.LatestReply, Type: m.Type, Subtype: m.Subtype,
			User: m.User, Text: m.Text, BotID: m.BotID, Username: m.Username, AppID: m.AppID, BotProfile: m.BotProfile,
			Attachments: m.Attachments, Reactions: m.Reactions, Edited: m.Edited, Metadata: m.Metadata,
			ParentUserID: m.ParentUserID, ReplyCount: m.ReplyCount, Raw: rawView(m)}
		if len(m.Blocks) > 0 {
			_ = json.Unmarshal(m.Blocks, &v.Blocks)
		}
		for _, f := range m.Files {
			g := *f
			g.URLPrivate, g.URLPrivateDownload, g.Content = "", "", nil
			v.Files = append(v.Files, g)
		}
		for _, r := range m.Replies {
			v.Replies = append(v.Replies, r.TS)
		}
		out = append(out, v)
	}
	return out
}

// diffMessages compares two archives message for message: the typed
// fields, the replies, and the JSON each message keeps, file URLs aside.
func diffMessages(want, got *archive.Archive) string {
	w, g := views(want), views(got)
	wj, _ := json.Marshal(w)
	gj, _ := json.Marshal(g)
	if string(wj) == string(gj) {
		return ""
	}
	return cmp.Diff(w, g, cmpopts.EquateEmpty())
}

// tsList lists every message's ts in thread order.
func tsList(a *archive.Archive) []archive.TS {
	var out []archive.TS
	for m := range a.All() {
		out = append(out, m.TS)
	}
	return out
}

func sortedIDs(us []*archive.User) []string {
	var out []string
	for _, u := range us {
		out = append(out, u.ID)
	}
	slices.Sort(out)
	return out
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func contextWithTimeout(tb testing.TB, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(tb.Context(), d)
}
