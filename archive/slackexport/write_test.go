package slackexport

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/wrapup/wrapup/archive"
)

// archiveCmp compares archives field for field, Raw included; Warnings are
// about the source read, not the content.
var archiveCmp = []cmp.Option{
	cmpopts.IgnoreUnexported(archive.Archive{}),
	cmpopts.IgnoreFields(archive.Archive{}, "Warnings"),
	cmpopts.EquateEmpty(),
}

// written is what Read(Write(a)) should give: a, but for what Write adds.
// A thread parent lists the replies the archive holds as
// replies: [{user, ts}] (the poster's user ID, a bot's bot_id when it has
// none), in ts order, and gains reply_count and reply_users (the distinct
// user IDs, in order of first reply) when its source had none; a channel whose source
// listed no members lists those who posted or joined and did not leave
// since, sorted. It returns a copy; a is not changed.
func written(t *testing.T, a *archive.Archive) *archive.Archive {
	t.Helper()
	out := &archive.Archive{Channel: a.Channel, Users: a.Users, Warnings: a.Warnings}
	if len(out.Channel.Members) == 0 {
		in := map[string]bool{}
		for m := range a.All() {
			if m.User != "" {
				in[m.User] = m.Subtype != "channel_leave" && m.Subtype != "group_leave"
			}
		}
		out.Channel.Members = nil
		for id, ok := range in {
			if ok {
				out.Channel.Members = append(out.Channel.Members, id)
			}
		}
		slices.Sort(out.Channel.Members)
	}
	for _, m := range a.Messages {
		c := *m
		if len(m.Replies) > 0 && !m.Missing {
			body := m.Raw
			if body == nil {
				body, _ = m.MarshalJSON()
			}
			var obj map[string]any
			if err := json.Unmarshal(body, &obj); err != nil {
				t.Fatalf("parent %s: %v", m.TS, err)
			}
			var list []any
			var users []any
			for _, r := range m.Replies {
				who := r.User
				if who == "" {
					who = r.BotID
				}
				list = append(list, map[string]any{"user": who, "ts": r.TS.String()})
				if r.User != "" && !slices.Contains(users, any(r.User)) {
					users = append(users, r.User)
				}
			}
			obj["replies"] = list
			if _, ok := obj["reply_count"]; !ok {
				obj["reply_count"] = len(m.Replies)
				c.ReplyCount = archive.Int(len(m.Replies))
			}
			if _, ok := obj["reply_users"]; !ok && len(users) > 0 {
				obj["reply_users"] = users
			}
			c.Raw, _ = json.Marshal(obj)
		}
		out.Messages = append(out.Messages, &c)
	}
	return out
}

// writtenCmp compares archives as archiveCmp does, JSON by what it says
// rather than by its bytes (written re-encodes thread parents).
var writtenCmp = append([]cmp.Option{cmp.FilterValues(func(x, y json.RawMessage) bool { return len(x) > 0 && len(y) > 0 },
	cmp.Transformer("json", func(r json.RawMessage) any {
		var v any
		if json.Unmarshal(r, &v) != nil {
			return string(r)
		}
		return v
	}))}, archiveCmp...)

func TestRoundTrip(t *testing.T) {
	want := readFixture(t)
	want.Messages[7].Files[0].Content = []byte("\x89PNG fake bytes")
	dir := filepath.Join(t.TempDir(), "out", "archive")
	man, err := Write(dir, want, WriteOptions{Tool: "wrapup test"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := ReadChannel(dir, incident, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(written(t, want), got, writtenCmp...); diff != "" {
		t.Errorf("Read(Write(x)) != x (-want +got):\n%s", diff)
	}
	t.Run("writing what was read back gives the same bytes", func(t *testing.T) {
		again, err := Write(filepath.Join(t.TempDir(), "archive"), got, WriteOptions{Tool: "wrapup test"})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(man.Files, again.Files); diff != "" {
			t.Errorf("checksums differ (-first +second):\n%s", diff)
		}
	})
	if man.Counts != want.Counts() {
		t.Errorf("manifest counts %+v, archive %+v", man.Counts, want.Counts())
	}
	if _, err := Verify(dir, &man.Counts); err != nil {
		t.Errorf("verify: %v", err)
	}

	t.Run("layout and modes", func(t *testing.T) {
		for _, rel := range []string{"channels.json", "users.json", "manifest.json",
			incident + "/2026-03-26.json", incident + "/2026-03-27.json", incident + "/attachments/F07GRAPH01-p99 graph.png"} {
			st, err := os.Stat(filepath.Join(dir, rel))
			if err != nil {
				t.Error(err)
				continue
			}
			if st.Mode().Perm() != 0o600 {
				t.Errorf("%s: mode %v, want 0600", rel, st.Mode().Perm())
			}
		}
		for _, d := range []string{dir, filepath.Join(dir, incident), filepath.Join(dir, incident, "attachments")} {
			if st, err := os.Stat(d); err != nil || st.Mode().Perm() != 0o700 {
				t.Errorf("%s: %v %v, want 0700", d, st.Mode(), err)
			}
		}
		// Replies are filed on their own day, as Slack does.
		day2, _ := os.ReadFile(filepath.Join(dir, incident, "2026-03-27.json"))
		if !strings.Contains(string(day2), "one more thing, a day later") {
			t.Error("the next-day reply is not in the next day's file")
		}
		entries, _ := os.ReadDir(filepath.Dir(dir))
		if len(entries) != 1 {
			t.Errorf("temporary folders left behind: %v", entries)
		}
	})

	t.Run("rewrite replaces atomically", func(t *testing.T) {
		if _, err := Write(dir, want, WriteOptions{Tool: "wrapup test"}); err != nil {
			t.Fatal(err)
		}
		if _, err := Verify(dir, nil); err != nil {
			t.Error(err)
		}
	})

	t.Run("verify catches tampering", func(t *testing.T) {
		day := filepath.Join(dir, incident, "2026-03-26.json")
		b, _ := os.ReadFile(day)
		os.WriteFile(day, append(b, ' '), 0o600)
		os.WriteFile(filepath.Join(dir, "extra.txt"), []byte("x"), 0o600)
		os.Remove(filepath.Join(dir, "users.json"))
		_, err := Verify(dir, nil)
		for _, want := range []string{"2026-03-26.json: checksum mismatch", "extra.txt: not in the manifest", "users.json: missing"} {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("err = %v, want %q", err, want)
			}
		}
	})

	t.Run("verify catches other counts", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "a")
		man, err := Write(dir, want, WriteOptions{})
		if err != nil {
			t.Fatal(err)
		}
		fetched := man.Counts
		fetched.Replies++
		if _, err := Verify(dir, &fetched); err == nil {
			t.Error("verify accepted counts that differ from what was fetched")
		}
	})
}

func TestWriteBuiltArchive(t *testing.T) {
	// An archive built in code has no Raw: the typed fields are written.
	a := &archive.Archive{
		Channel: archive.Channel{ID: "C1", Name: "incident-x", Private: true},
		Messages: []*archive.Message{
			{TS: archive.MustTS("1774533731.000100"), Type: "message", User: "U1", Text: "hello <b>&amp;</b>",
				ThreadTS: archive.MustTS("1774533731.000100"), ReplyCount: 1},
		},
		Users: []*archive.User{{ID: "U1", Name: "alice"}},
	}
	a.Messages[0].Replies = []*archive.Message{{TS: archive.MustTS("1774533800.000000"), User: "U1", Text: "reply",
		ThreadTS: archive.MustTS("1774533731.000100")}}
	dir := filepath.Join(t.TempDir(), "a")
	if _, err := Write(dir, a, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	got, err := ReadChannel(dir, "incident-x", Options{})
	if err != nil {
		t.Fatal(err)
	}
	opts := append([]cmp.Option{cmpopts.IgnoreFields(archive.Message{}, "Raw"), cmpopts.IgnoreFields(archive.User{}, "Raw")}, archiveCmp...)
	if diff := cmp.Diff(written(t, a), got, opts...); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if want := `"replies":[{"user":"U1","ts":"1774533800.000000"}]`; !strings.Contains(string(got.Messages[0].Raw), want) {
		t.Errorf("parent = %s, want it to hold %s", got.Messages[0].Raw, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "groups.json")); err != nil {
		t.Error("a private channel goes to groups.json")
	}
}

func TestWriteRefusesUnsafeChannelName(t *testing.T) {
	a := &archive.Archive{Channel: archive.Channel{ID: "C1", Name: "../../etc"}}
	if _, err := Write(filepath.Join(t.TempDir(), "a"), a, WriteOptions{}); err == nil {
		t.Error("a channel name with a path separator was accepted")
	}
}
