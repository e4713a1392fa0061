package slackapi_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/archivetest"
	"github.com/wrapup/wrapup/archive/slackapi"
	"github.com/wrapup/wrapup/archive/slacktest"
)

// maxCalls is the call budget of a channel, by ID: one history call per
// 999 messages (at least one), one replies call per 1000 messages of a
// thread counting its parent, the users pages, and conversations.info,
// pins.list and bookmarks.list.
func maxCalls(a *archive.Archive, userPages int) int {
	history := 0
	calls := 0
	for _, m := range a.Messages {
		history++
		if len(m.Replies) > 0 {
			calls += (len(m.Replies) + 1 + 999) / 1000
		}
		for _, r := range m.Replies {
			if r.IsBroadcast() {
				history++
			}
		}
	}
	return calls + max(1, (history+998)/999) + userPages + 3
}

func TestPaginationBoundaries(t *testing.T) {
	for _, tc := range []struct {
		name string
		seed *archive.Archive
	}{
		{"0 messages", flatChannel(t, "C0EMPTY", 0)},
		{"1 message", flatChannel(t, "C0ONE", 1)},
		{"999 messages", flatChannel(t, "C0LIMIT", 999)},
		{"1000 messages", flatChannel(t, "C0LIMIT1", 1000)},
		{"1998 messages", flatChannel(t, "C0TWICE", 1998)},
		{"thread of 998 replies", threadChannel(t, "C0T998", 998)},
		{"thread of 999 replies", threadChannel(t, "C0T999", 999)},
		{"thread of 2500 replies", threadChannel(t, "C0T2500", 2500)},
		{"synthetic", archivetest.Generate(archivetest.Options{Messages: 2000, Threads: 150})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The app was invited: joining is another test's subject.
			tc.seed.Channel.Members = append(tc.seed.Channel.Members, "U0EMUBOT")
			e := start(t, slacktest.Options{}, tc.seed)
			res, got := export(t, e.c, tc.seed.Channel.ID, slackapi.ExportOptions{})
			if d := cmp.Diff(tsList(tc.seed), tsList(got)); d != "" {
				t.Fatalf("messages (-seed +exported):\n%s", d)
			}
			calls, _ := e.calls()
			if budget := maxCalls(tc.seed, 1); calls > budget {
				t.Errorf("%d calls, budget %d (%v)", calls, budget, e.srv.Admin().Stats().Calls)
			}
			if res.Stats.Calls != calls {
				t.Errorf("the export counted %d calls, the emulator %d", res.Stats.Calls, calls)
			}
		})
	}
}

func TestExportByName(t *testing.T) {
	var seeds []*archive.Archive
	for i := range 5 {
		seeds = append(seeds, flatChannel(t, fmt.Sprintf("C0N%d", i), 3))
	}
	e := start(t, slacktest.Options{}, seeds...)
	for _, name := range []string{"c0n3", "#c0n3"} {
		res, err := e.c.Export(t.Context(), name, slackapi.ExportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Archive.Channel.ID != "C0N3" {
			t.Errorf("%s resolved to %s", name, res.Archive.Channel.ID)
		}
	}
	_, err := e.c.Export(t.Context(), "no-such-channel", slackapi.ExportOptions{})
	if err == nil || !contains(err.Error(), "#no-such-channel not found") {
		t.Errorf("unknown name: %v", err)
	}
}
