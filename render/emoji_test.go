package render

import (
	"strings"
	"testing"

	"github.com/wrapup/wrapup/archive/emoji"
)

// knownShortcodes returns the shortcodes of known emoji left in a
// document, escaped ("\:bust\_in\_silhouette:") or not (":arrow_up:").
func knownShortcodes(doc string) []string {
	var found []string
	for i := 0; i < len(doc); i++ {
		if doc[i] != ':' {
			continue
		}
		j := i + 1
		for j < len(doc) && (doc[j] == '\\' || doc[j] >= 'a' && doc[j] <= 'z' || doc[j] >= '0' && doc[j] <= '9' ||
			strings.IndexByte("_+-'", doc[j]) >= 0) {
			j++
		}
		if j < len(doc) && doc[j] == ':' && j > i+1 {
			if _, ok := emoji.Lookup(strings.ReplaceAll(doc[i+1:j], `\`, "")); ok {
				found = append(found, doc[i:j+1])
			}
		}
	}
	return found
}

// TestEmojiInDocuments: the fixtures' shortcodes (":rotating_light:",
// ":bust_in_silhouette:", reactions like ":stopwatch:") are emoji in the
// Markdown and the HTML, never codes, escaped or not; a custom emoji
// (":telephone_receiving:" is no emoji name) stays text.
func TestEmojiInDocuments(t *testing.T) {
	for _, fx := range fixtures {
		t.Run(fx.name, func(t *testing.T) {
			out := renderFixture(t, fx.name, fx.preset, testOptions(t))
			for _, name := range []string{MarkdownFile, HTMLFile} {
				doc := string(file(t, out, name))
				if codes := knownShortcodes(doc); len(codes) > 0 {
					t.Errorf("%s keeps the shortcodes of known emoji: %q", name, codes)
				}
			}
		})
	}
	out := renderFixture(t, "chatops", "chatops", testOptions(t))
	md, page := string(file(t, out, MarkdownFile)), string(file(t, out, HTMLFile))
	for _, want := range []string{"👤 @bob is now **comms lead**", "⬆️ Severity: **SEV1**", "🚨 Incident declared"} {
		if !strings.Contains(md, want) {
			t.Errorf("%s lacks %q", MarkdownFile, want)
		}
	}
	for _, want := range []string{"<p>🚨 Incident declared", "<div class=\"reactions\">⏱️ ×1</div>", ":telephone_receiving: Escalated"} {
		if !strings.Contains(page, want) {
			t.Errorf("%s lacks %q", HTMLFile, want)
		}
	}
}

func TestKnownShortcodesCatches(t *testing.T) {
	for doc, want := range map[string]int{
		`\:bust\_in\_silhouette: @bob`: 1,
		":arrow_up: :party_parrot:":    1,
		"at 14:03:00, 👤":               0,
	} {
		if got := len(knownShortcodes(doc)); got != want {
			t.Errorf("knownShortcodes(%q) found %d, want %d", doc, got, want)
		}
	}
}

func TestReaction(t *testing.T) {
	for name, want := range map[string]string{
		"stopwatch":         "⏱️",
		"+1":                "👍",
		"wave::skin-tone-3": "👋\U0001F3FC",
		"party_parrot":      ":party_parrot:",
		"a\u202eb":          ":a[U+202E]b:",
	} {
		if got := reaction(name); got != want {
			t.Errorf("reaction(%q) = %q, want %q", name, got, want)
		}
	}
}

// TestJoinersInEmoji: a joiner between two emoji is part of the sequence
// (👩‍💻) and survives; anywhere else it is dropped, as before.
func TestJoinersInEmoji(t *testing.T) {
	for in, want := range map[string]string{
		"👩\u200d💻 on call": "👩\u200d💻 on call",
		"a\u200db":         "ab",
		"👩\u200d b":        "👩 b",
		"👩\u200d\u200d💻":   "👩\u200d💻",
	} {
		if got := Text(in); got != want {
			t.Errorf("Text(%q) = %q, want %q", in, got, want)
		}
		if got := PlainText(in); got != want {
			t.Errorf("plainText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTitleEmoji(t *testing.T) {
	arc := readFixture(t, "chatops")
	tl := buildTimeline(t, arc, "chatops")
	tl.Incident.Title = ":fire: API latency :man-shrugging:"
	out, err := renderWhole(arc, tl, testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	if md := string(file(t, out, MarkdownFile)); !strings.Contains(md, "# Postmortem: 🔥 API latency 🤷\u200d♂️") {
		t.Errorf("%s title: %q", MarkdownFile, strings.SplitN(md, "\n", 2)[0])
	}
	if page := string(file(t, out, HTMLFile)); !strings.Contains(page, "<title>Postmortem: 🔥 API latency 🤷\u200d♂️") {
		t.Errorf("%s has no emoji title", HTMLFile)
	}
}
