package jira_test

import (
	"context"
	"strings"
	"testing"

	"github.com/wrapup/wrapup/timeline"
	"github.com/wrapup/wrapup/trackers"
	"github.com/wrapup/wrapup/trackers/jira"
	"github.com/wrapup/wrapup/trackers/jiratest"
	"github.com/wrapup/wrapup/trackers/trackertest"
)

// TestEmoji: an issue shows the item's emoji, not shortcodes, in its
// summary and its {noformat} text, where Jira shows ":wave:" as typed;
// code the user wrote and custom emoji stay as typed.
func TestEmoji(t *testing.T) {
	srv, tr := newJira(t, jiratest.Options{}, nil)
	it := trackertest.Item("emoji", 0)
	it.Summary = ":rotating_light: page on pool saturation :+1: :party_parrot:"
	it.Text = it.Summary + "\n`:wave:` :wave::skin-tone-3:"
	if _, err := (&trackers.Filer{Service: tr}).File(context.Background(), []timeline.ActionItem{it}); err != nil {
		t.Fatal(err)
	}
	issues := srv.Issues()
	if len(issues) != 1 {
		t.Fatalf("%d issues; want 1", len(issues))
	}
	if want := "🚨 page on pool saturation 👍 :party_parrot:"; issues[0].Summary != want {
		t.Errorf("summary %q; want %q", issues[0].Summary, want)
	}
	text, _ := jira.Unnoformat(issues[0].Description)
	if want := "🚨 page on pool saturation 👍 :party_parrot:\n`:wave:` 👋\U0001F3FC"; text != want {
		t.Errorf("text %q; want %q", text, want)
	}
	if strings.Contains(issues[0].Description, ":rotating_light:") {
		t.Errorf("description keeps a shortcode:\n%s", issues[0].Description)
	}
}
