package render

import (
	"regexp"
	"strings"
	"testing"

	"github.com/wrapup/wrapup/archive"
)

// Fake credentials, assembled at run time so that no secret scanner takes
// this file for a leak. The digits are what a leak would show.
var (
	fakeSlack = "xox" + "b-7777777777-8888888888-" + strings.Repeat("QwEr", 6)
	fakeAWS   = "AKIA" + "Z7Z7Z7Z7Z7Z7Z7Z7"
)

// spread puts sep between every two characters of s.
func spread(s, sep string) string { return strings.Join(strings.Split(s, ""), sep) }

// secretCorpus hides secrets from a redactor that reads the raw text
// (issue 12, item 2): invisible characters inside a token, which the
// documents drop; a token straddling the timeline's 200-rune cut of an
// action item and render's 300-rune cut of a summary; a URL password with
// an "@".
var secretCorpus = []string{
	"token " + spread(fakeSlack, "\u200b") + " zero-width",
	"token " + spread(fakeSlack, "\x00") + " nul",
	"key " + spread(fakeAWS, "\u00ad") + " soft hyphen",
	"key " + spread(fakeAWS, "\u200d\u2060") + " joiners",
	strings.Repeat("word ", 38) + fakeSlack + " straddles the action item cut",
	strings.Repeat("long ", 59) + fakeAWS + " straddles the summary cut",
	"db <https://admin:p@ss@evil.example/x|creds> and postgres://u:hunter@2@evil.example/y",
}

// leaked finds what the secret corpus must never show: any part of the
// fake tokens, or the passwords.
var leaked = regexp.MustCompile(`xoxb-\d|7777777|AKIAZ|Z7Z7Z7|ss@evil|@2@|hunter`)

// TestPosterNamesRedacted: a bot's name is text from the channel like any
// other; timeline.json's "by" showed it raw (issue 12, item 2).
func TestPosterNamesRedacted(t *testing.T) {
	arc := hostileArchive(t, benign)
	var flat []*archive.Message
	for m := range arc.All() {
		flat = append(flat, m)
	}
	flat = append(flat, &archive.Message{TS: archive.MustTS("1774539999.000100"), Type: "message", Subtype: "bot_message",
		BotID: "B0LEAK", Username: "deploy " + fakeSlack, Text: "AI: rotate the deploy token"})
	arc.Messages, _ = archive.Thread(flat)
	out, err := renderWhole(arc, buildTimeline(t, arc, "chatops"), testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range out.Files {
		if m := leaked.FindIndex(f.Data); m != nil {
			t.Errorf("%s shows the poster's secret: %q", f.Name, f.Data[max(0, m[0]-60):min(len(f.Data), m[1]+20)])
		}
	}
}

// TestSecretsRedacted renders the hostile corpus and checks every file a
// render writes, with invisible characters and Markdown escapes dropped as
// a reader's screen drops them, for the secrets of secretCorpus.
func TestSecretsRedacted(t *testing.T) {
	arc := hostileArchive(t, hostile)
	out, err := renderWhole(arc, buildTimeline(t, arc, "chatops"), testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Files) < 3 {
		t.Fatalf("render wrote %d files, want the documents and timeline.json", len(out.Files))
	}
	for _, f := range out.Files {
		seen := strings.ReplaceAll(visible(string(f.Data)), `\`, "")
		if m := leaked.FindStringIndex(seen); m != nil {
			t.Errorf("%s shows a secret: %q", f.Name, seen[max(0, m[0]-40):min(len(seen), m[1]+40)])
		}
	}
}

// visible drops what renderers do not show: control characters but
// newlines and tabs, zero-width and format characters, JSON's \u escapes
// of them.
func visible(s string) string {
	s = jsonEscape.ReplaceAllString(s, "")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f, r == 0xad, r >= 0x200b && r <= 0x200f,
			r >= 0x2060 && r <= 0x206f, r == 0xfeff, r >= 0x202a && r <= 0x202e:
			return -1
		}
		return r
	}, s)
}

var jsonEscape = regexp.MustCompile(`\\u(?:00[0-1][0-9a-fA-F]|00ad|200[b-f]|206[0-9a-f]|feff)`)
