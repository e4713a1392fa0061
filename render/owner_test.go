package render

import (
	"strings"
	"testing"

	"github.com/wrapup/wrapup/timeline"
)

// TestOwnerUnassigned: an item filed without its assignee says so in the
// owner column, beside the handle (issue 11: "@alice, not assignable in
// OPS"); the reason is text, never markup.
func TestOwnerUnassigned(t *testing.T) {
	arc := readFixture(t, "chatops")
	tl := buildTimeline(t, arc, "chatops")
	if len(tl.ActionItems) < 2 {
		t.Fatalf("the fixture has %d action items; the test needs 2", len(tl.ActionItems))
	}
	tl.ActionItems[0].Assignee, tl.ActionItems[0].Unassigned = "alice", "not assignable in OPS"
	tl.ActionItems[0].Ticket = &timeline.Ticket{Tracker: "jira", ID: "OPS-12", URL: "https://jira.example/browse/OPS-12"}
	tl.ActionItems[1].Assignee, tl.ActionItems[1].Unassigned = "bob", "not *in* <b>OPS</b> | x"
	out, err := renderWhole(arc, tl, testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	md := string(file(t, out, MarkdownFile))
	if !strings.Contains(md, "| @alice, not assignable in OPS |") {
		t.Errorf("the owner column does not say @alice could not be assigned:\n%s", md)
	}
	if strings.Contains(md, "<b>OPS</b>") || strings.Contains(md, "*in*") || strings.Contains(md, "OPS</b> | x") {
		t.Errorf("the reason went in as markup:\n%s", md)
	}
	html := string(file(t, out, HTMLFile))
	if !strings.Contains(html, "@alice, not assignable in OPS") || strings.Contains(html, "<b>OPS</b>") {
		t.Errorf("the HTML owner column is wrong or holds markup")
	}
}
