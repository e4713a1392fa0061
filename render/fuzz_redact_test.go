package render

import (
	"strings"
	"testing"

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/redact"
)

// FuzzRenderRedaction renders a message and an action item holding a
// secret with invisible characters sprinkled in, after a prefix of any
// length (so that cuts fall anywhere): whenever the redactor finds the
// secret in the text with those characters dropped, no file the render
// writes shows it or a part of it, read as a screen shows it.
func FuzzRenderRedaction(f *testing.F) {
	f.Add("token ", "\u200b", uint8(2), false)
	f.Add(strings.Repeat("word ", 38), "\x00", uint8(5), true)
	f.Add(strings.Repeat("long ", 59), "\u00ad", uint8(1), false)
	f.Add("*bold* ", "\u2060", uint8(3), true)
	readFixture(f, "chatops") // fail early on a broken fixture
	red, err := redact.New(true, nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, prefix, inv string, every uint8, aws bool) {
		secret := fakeSlack
		if aws {
			secret = fakeAWS
		}
		hidden := secret
		if inv != "" && every > 0 {
			var b strings.Builder
			for i, r := range secret {
				b.WriteRune(r)
				if (i+1)%int(every) == 0 {
					b.WriteString(inv)
				}
			}
			hidden = b.String()
		}
		text := prefix + hidden + " tail"
		if strings.Contains(red.String(redact.Visible(text)), secret) || leaked.MatchString(prefix+inv) {
			return // no secret to the redactor here ("axoxb-…"), or the prefix looks like a part of one
		}
		arc := readFixture(t, "chatops")
		var flat []*archive.Message
		for m := range arc.All() {
			flat = append(flat, m)
		}
		flat = append(flat,
			&archive.Message{TS: archive.MustTS("1774539000.000100"), Type: "message", User: "U02BOB", Text: text},
			&archive.Message{TS: archive.MustTS("1774539000.000200"), Type: "message", User: "U03CAROL", Text: "AI: " + text})
		arc.Messages, _ = archive.Thread(flat)
		out, err := renderWhole(arc, buildTimeline(t, arc, "chatops"), testOptions(t))
		if err != nil {
			t.Fatal(err)
		}
		for _, file := range out.Files {
			seen := strings.ReplaceAll(redact.Visible(visible(string(file.Data))), `\`, "")
			if m := leaked.FindStringIndex(seen); m != nil {
				t.Fatalf("%s shows a part of the secret, %q, for text %q", file.Name, seen[m[0]:m[1]], text)
			}
		}
	})
}
