package github

import (
	"regexp"
	"strings"
	"testing"

	"github.com/wrapup/wrapup/timeline"
)

// mention is what GitHub turns into a notification: "@" then a login or
// org/team. A backslash before the "@" does not stop it
// (github/markup#1168); a zero-width space after it does.
var mention = regexp.MustCompile(`@[A-Za-z0-9_-]`)

// TestNoMentions: text from the channel never notifies anyone on GitHub,
// in the title or the body outside the fenced text.
func TestNoMentions(t *testing.T) {
	it := timeline.ActionItem{Key: "3f9c1a2b7d4e", Summary: "page @acme/oncall and @bob about it",
		Text: "page @acme/oncall and @bob about it", By: "@mallory", Assignee: "@eve"}
	title := Title(it)
	body := Body(it, "incident-@x", "", "@alice could not be assigned in octo/ops")
	if m := mention.FindString(title); m != "" {
		t.Errorf("title %q mentions %q", title, m)
	}
	// The text itself is in a fence, where GitHub mentions nobody.
	outside := body
	if i, j := strings.Index(body, "```"), strings.LastIndex(body, "```"); i >= 0 && j > i {
		outside = body[:i] + body[j:]
	}
	if m := mention.FindString(outside); m != "" {
		t.Errorf("body mentions %q outside its fence:\n%s", m, body)
	}
	if strings.ReplaceAll(title, "\u200b", "") != "page @acme/oncall and @bob about it" {
		t.Errorf("title %q does not read as written", title)
	}
}
