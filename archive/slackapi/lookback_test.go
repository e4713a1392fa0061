package slackapi_test

import (
	"slices"
	"testing"

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/slacktest"
)

// TestLookBack pages back only as far as asked: pages of 10 over 45
// messages, stopping once message m20 was read, take 3 calls; a
// channel the app is not in is joined first.
func TestLookBack(t *testing.T) {
	seed := flatChannel(t, "C0LOOK", 45)
	seed.Channel.Members = []string{"U1"} // not the bot
	e := start(t, slacktest.Options{}, seed)
	var pages []int
	got, _, err := e.c.LookBack(t.Context(), "C0LOOK", 10, true, func(msgs []*archive.Message) bool {
		pages = append(pages, len(msgs))
		return slices.ContainsFunc(msgs, func(m *archive.Message) bool { return m.Text == "m20" })
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 30 || got[0].Text != "m44" || got[29].Text != "m15" || len(pages) != 3 {
		t.Errorf("read %d messages in %d pages (%v), want m44..m15 in 3", len(got), len(pages), pages)
	}
	st := e.srv.Admin().Stats()
	if st.Calls["conversations.join"] != 1 || st.Calls["conversations.history"] != 4 {
		t.Errorf("calls %v, want one join and 4 history calls (one refused)", st.Calls)
	}

	// To the end of the history when enough never says so; a dry run
	// does not join.
	all, _, err := e.c.LookBack(t.Context(), "C0LOOK", 999, false, func([]*archive.Message) bool { return false })
	if err != nil || len(all) != 45 {
		t.Errorf("whole history: %d messages, %v; want 45", len(all), err)
	}
	other := flatChannel(t, "C0OTHER", 3)
	other.Channel.Members = []string{"U1"}
	if err := e.srv.AddArchive(other); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.c.LookBack(t.Context(), "C0OTHER", 10, false, func([]*archive.Message) bool { return true }); err == nil {
		t.Error("a look-back without join read a channel the app is not in")
	}
}
