package slackapi_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/archivetest"
	"github.com/wrapup/wrapup/archive/slackapi"
	"github.com/wrapup/wrapup/archive/slacktest"
)

// richChannel has one of each kind of message an incident channel holds.
func richChannel(tb testing.TB) *archive.Archive {
	tb.Helper()
	hosted := map[string]any{"id": "F1", "name": "graph.png", "title": "graph", "mimetype": "image/png",
		"filetype": "png", "size": 300, "mode": "hosted", "user": "U2",
		"url_private":          "https://files.slack.com/files-pri/T1-F1/graph.png",
		"url_private_download": "https://files.slack.com/files-pri/T1-F1/download/graph.png"}
	external := map[string]any{"id": "F2", "name": "doc", "mode": "external", "is_external": true,
		"url_private": "https://docs.example.com/d/1"}
	return channel(tb, "C0RICH", "incident-rich",
		msg(tb, map[string]any{"ts": sec(0), "subtype": "bot_message", "bot_id": "B1", "username": "OpsBot",
			"text": ":rotating_light: declared"}),
		msg(tb, map[string]any{"ts": sec(1), "user": "U1", "text": "parent <@U3>", "thread_ts": sec(1),
			"reply_count": 3, "latest_reply": sec(5), "reply_users": []string{"U2"},
			"reactions":    []map[string]any{{"name": "pushpin", "users": []string{"U2"}, "count": 1}},
			"user_profile": map[string]any{"real_name": "Alice"}, "client_msg_id": "x-1"}),
		msg(tb, map[string]any{"ts": sec(2), "user": "U2", "text": "reply with a file", "thread_ts": sec(1),
			"parent_user_id": "U1", "files": []any{hosted}}),
		msg(tb, map[string]any{"ts": sec(3), "user": "U2", "text": "AI: broadcast", "thread_ts": sec(1),
			"subtype": "thread_broadcast", "root": map[string]any{"ts": sec(1), "text": "parent"}}),
		msg(tb, map[string]any{"ts": sec(5), "user": "U2", "text": "edited reply", "thread_ts": sec(1),
			"parent_user_id": "U1", "edited": map[string]any{"user": "U2", "ts": sec(6)}}),
		msg(tb, map[string]any{"ts": sec(7), "bot_id": "B2", "app_id": "A2", "text": "",
			"bot_profile": map[string]any{"id": "B2", "name": "Dispatch", "app_id": "A2"},
			"blocks":      []any{map[string]any{"type": "section", "text": map[string]any{"type": "mrkdwn", "text": "*SEV2*"}}},
			"attachments": []any{map[string]any{"fallback": "f", "text": "att"}}}),
		msg(tb, map[string]any{"ts": sec(8), "user": "U3", "text": "external doc", "files": []any{external}}),
		msg(tb, map[string]any{"ts": sec(9), "user": "U1", "text": "no replies here", "latest_reply": "0000000000.000000"}),
		msg(tb, map[string]any{"ts": sec(10), "subtype": "channel_topic", "user": "U1", "text": "set the topic",
			"topic": "SEV2"}),
	)
}

func TestRoundTrip(t *testing.T) {
	synth := archivetest.Generate(archivetest.Options{Messages: 400, Threads: 25, FileEvery: 60})
	for _, tc := range []struct {
		name  string
		seed  *archive.Archive
		files bool
	}{
		{"rich", richChannel(t), true},
		{"synthetic", synth, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := start(t, slacktest.Options{}, tc.seed)
			res, got := export(t, e.c, tc.seed.Channel.ID, slackapi.ExportOptions{Files: tc.files})
			if d := diffMessages(tc.seed, got); d != "" {
				t.Errorf("archive differs from the seed (-seed +exported):\n%s", d)
			}
			if want := tc.seed.Counts(); res.Counts.Messages != want.Messages || res.Counts.Replies != want.Replies || res.Counts.Files != want.Files {
				t.Errorf("counts %+v, seed %+v", res.Counts, want)
			}
			if len(got.Warnings) > 0 {
				t.Errorf("warnings: %v", got.Warnings)
			}
			wantUsers := map[string]bool{}
			for id := range archive.ReferencedUsers(got) {
				if _, ok := tc.seed.User(id); ok {
					wantUsers[id] = true
				}
			}
			var want []string
			for id := range wantUsers {
				want = append(want, id)
			}
			if d := cmp.Diff(sortedStrings(want), sortedIDs(got.Users)); d != "" {
				t.Errorf("users (-referenced +exported):\n%s", d)
			}
			if tc.files {
				checkFiles(t, got)
				if len(res.Notes) == 0 {
					t.Errorf("no note about the external file")
				}
			}
		})
	}
}

// checkFiles checks that hosted files were downloaded with the bytes the
// emulator serves, and external ones were not.
func checkFiles(t *testing.T, a *archive.Archive) {
	t.Helper()
	for m := range a.All() {
		for _, f := range m.Files {
			switch {
			case f.Downloadable() && !cmp.Equal(f.Content, slacktest.Placeholder(f.ID, int(f.Size))):
				t.Errorf("file %s: %d bytes, not the %d the emulator serves", f.ID, len(f.Content), f.Size)
			case !f.Downloadable() && f.Content != nil:
				t.Errorf("file %s (mode %s) was downloaded", f.ID, f.Mode)
			}
		}
	}
}

func sortedStrings(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}
