package emoji

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/yuin/goldmark-emoji/definition"
)

func TestLookup(t *testing.T) {
	for _, tc := range []struct {
		name, want string
		ok         bool
	}{
		{"rotating_light", "🚨", true},
		{"bust_in_silhouette", "👤", true},
		{"arrow_up", "⬆️", true},
		{"telephone_receiver", "📞", true},
		{"+1", "👍", true},
		{"thumbsup", "👍", true},
		{"-1", "👎", true},
		{"simple_smile", "🙂", true},
		{"thinking_face", "🤔", true},
		{"large_green_circle", "🟢", true},
		{"man-shrugging", "🤷\u200d♂️", true},
		{"flag-us", "🇺🇸", true},
		{"flag-de", "🇩🇪", true},
		{"skin-tone-4", "\U0001F3FD", true},
		// Reactions carry the skin tone in the name.
		{"wave::skin-tone-3", "👋\U0001F3FC", true},
		{"thumbsup::skin-tone-6", "👍\U0001F3FF", true},
		// The modifier takes the place of a variation selector (✌️ is
		// U+270C U+FE0F) and goes on the person in a sequence.
		{"v::skin-tone-2", "✌\U0001F3FB", true},
		{"man-shrugging::skin-tone-5", "🤷\U0001F3FE\u200d♂️", true},
		// Custom emoji, and names that are no emoji.
		{"party_parrot", "", false},
		{"telephone_receiving", "", false},
		{"Wave", "", false},
		{"", "", false},
		{"wave::skin-tone-7", "", false},
		{"wave::skin-tone-", "", false},
		{"party_parrot::skin-tone-2", "", false},
		{"flag-usa", "", false},
		{"flag-", "", false},
		{"octocat", "", false}, // GitHub's own image, not Unicode
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := Lookup(tc.name)
			if got != tc.want || ok != tc.ok {
				t.Errorf("Lookup(%q) = %q, %v; want %q, %v", tc.name, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestReplace(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"no colon", "no colon"},
		{":rotating_light: Incident declared", "🚨 Incident declared"},
		{"done :white_check_mark:", "done ✅"},
		{":wave::skin-tone-3: hi", "👋\U0001F3FC hi"},
		{":wave: :skin-tone-3:", "👋 \U0001F3FC"},
		{":+1::+1:", "👍👍"},
		{":party_parrot: :wave:", ":party_parrot: 👋"},
		{":party_parrot::skin-tone-2:", ":party_parrot:\U0001F3FB"},
		{"at 14:03:00 UTC", "at 14:03:00 UTC"},
		{"x:y:wave:", "x:y👋"},
		{":wave:wave:", "👋wave:"},
		{"::wave::", ":👋:"},
		{"https://example.com:8443/a:b", "https://example.com:8443/a:b"},
		{"fe80::1:2", "fe80::1:2"},
		{":wave", ":wave"},
		{"a: b :c", "a: b :c"},
		{":Wave:", ":Wave:"},
		{"é:wave:é", "é👋é"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := Replace(tc.in); got != tc.want {
				t.Errorf("Replace(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// TestSlackNames checks the names Slack's documentation uses, in the
// forms it gives them:
//
//   - reactions.add (docs.slack.dev/reference/methods/reactions.add): "For
//     Unicode emoji that support skin tone modifiers, name may indicate a
//     modifier by appending ::skin-tone- and a number from 2 to 6, like,
//     thumbsup::skin-tone-6 or wave::skin-tone-3."
//   - Block Kit's emoji element
//     (docs.slack.dev/reference/block-kit/block-elements/emoji-element):
//     name is "The name of the emoji; i.e. "wave" or "wave::skin-tone-2"";
//     its example uses basketball, snowboarder and checkered_flag.
//   - Message formatting (api.slack.com/reference/surfaces/formatting,
//     "Emoji"): emoji in text are written in colon form, ":smile:"; Slack
//     stores a Unicode emoji posted in text as its colon form too.
//
// In message text the skin tone follows the emoji as a second shortcode,
// ":wave::skin-tone-2:", which is the reaction name between colons.
func TestSlackNames(t *testing.T) {
	for name, want := range map[string]string{
		"thumbsup::skin-tone-6": "👍\U0001F3FF",
		"wave::skin-tone-3":     "👋\U0001F3FC",
		"wave::skin-tone-2":     "👋\U0001F3FB",
		"wave":                  "👋",
		"basketball":            "🏀",
		"snowboarder":           "🏂",
		"checkered_flag":        "🏁",
		"smile":                 "😄",
	} {
		if got, ok := Lookup(name); !ok || got != want {
			t.Errorf("Lookup(%q) = %q, %v; want %q", name, got, ok, want)
		}
		if got := Replace(":" + name + ":"); got != want {
			t.Errorf("Replace(%q) = %q, want %q", ":"+name+":", got, want)
		}
	}
}

// TestAliases: every Slack name maps to an emoji GitHub's table has, and
// none of them is a GitHub name already, which it would hide.
func TestAliases(t *testing.T) {
	gh := definition.Github()
	for slack, name := range slackNames {
		if e, ok := gh.Get(slack); ok {
			t.Errorf("alias %q is GitHub's name for %q already", slack, string(e.Unicode))
		}
		if e, ok := gh.Get(name); !ok || !e.IsUnicode() {
			t.Errorf("alias %q -> %q: GitHub's table has no such emoji", slack, name)
		}
	}
}

func FuzzReplace(f *testing.F) {
	for _, s := range []string{":wave::skin-tone-3:", "::+1::", "a:b:c:d", ":party_parrot:", "x:flag-us:", ":skin-tone-2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Replace(s)
		if !strings.Contains(s, ":") && got != s {
			t.Fatalf("Replace(%q) = %q without a colon", s, got)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("Replace(%q) = %q is not UTF-8", s, got)
		}
		if again := Replace(got); again != got {
			t.Fatalf("Replace is not idempotent on %q: %q then %q", s, got, again)
		}
	})
}

// BenchmarkReplace: a message of prose and shortcodes, and a line of
// colons and name characters, which must still cost one pass.
func BenchmarkReplace(b *testing.B) {
	for name, s := range map[string]string{
		"message": ":rotating_light: Incident declared: *Checkout errors* (SEV2) at 14:03:00, :wave::skin-tone-3: :party_parrot:",
		"colons":  strings.Repeat(":zq", 1<<14) + strings.Repeat("a", 1<<14) + ":",
	} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(s)))
			for range b.N {
				Replace(s)
			}
		})
	}
}
