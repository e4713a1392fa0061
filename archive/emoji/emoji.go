package emoji

import (
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark-emoji/definition"
)

// toneSuffix is how Slack appends a skin tone to a name: "wave::skin-tone-3"
// in reactions, ":wave::skin-tone-3:" in text.
const toneSuffix = "::skin-tone-"

// Lookup returns the emoji for a Slack emoji name without its colons,
// such as "rotating_light", "+1" or a reaction's "thumbsup::skin-tone-6".
// It reports false for a name it does not know (a custom emoji).
func Lookup(name string) (string, bool) {
	base, tone, hasTone := strings.Cut(name, toneSuffix)
	e, ok := emojiFor(base)
	if !ok {
		return "", false
	}
	if hasTone {
		n, ok := toneNumber(tone)
		if !ok {
			return "", false
		}
		e = withTone(e, n)
	}
	return e, true
}

// Replace returns s with every shortcode of a known emoji, and the skin
// tone that may follow it, replaced by the emoji. Unknown names, and any
// colon that does not start a name, are kept as they are. It is linear in
// s and returns s itself when there is nothing to replace.
func Replace(s string) string {
	i := strings.IndexByte(s, ':')
	if i < 0 || strings.IndexByte(s[i+1:], ':') < 0 {
		return s
	}
	var b strings.Builder
	done := 0 // s[:done] is written to b
	for i >= 0 {
		j := i + 1
		for j < len(s) && isNameByte(s[j]) {
			j++
		}
		if j == len(s) {
			break
		}
		if s[j] != ':' {
			// Not a name: the next colon may start one.
			k := strings.IndexByte(s[j:], ':')
			if k < 0 {
				break
			}
			i = j + k
			continue
		}
		e, ok := "", false
		if j > i+1 {
			e, ok = emojiFor(s[i+1 : j])
		}
		if !ok {
			i = j // the closing colon may open the next name
			continue
		}
		end := j + 1
		if n, size := toneAt(s[end:]); size > 0 {
			e = withTone(e, n)
			end += size
		}
		if b.Len() == 0 {
			b.Grow(len(s))
		}
		b.WriteString(s[done:i])
		b.WriteString(e)
		done = end
		k := strings.IndexByte(s[end:], ':')
		if k < 0 {
			break
		}
		i = end + k
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// isNameByte reports the characters of Slack emoji names: lower-case
// letters, digits, "_", "-", "+" (":+1:") and "'".
func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '+' || c == '\''
}

// emojiFor returns the emoji for a name without colons or skin tone.
func emojiFor(name string) (string, bool) {
	if alias, ok := slackNames[name]; ok {
		name = alias
	}
	if e, ok := github(name); ok {
		return e, true
	}
	if cc, ok := strings.CutPrefix(name, "flag-"); ok && len(cc) == 2 && isLower(cc[0]) && isLower(cc[1]) {
		// Slack names every country flag flag-<ISO 3166 code>; the emoji
		// is the code in regional indicator letters.
		return string([]rune{0x1F1E6 + rune(cc[0]-'a'), 0x1F1E6 + rune(cc[1]-'a')}), true
	}
	if n, ok := strings.CutPrefix(name, "skin-tone-"); ok {
		if t, ok := toneNumber(n); ok {
			return string(modifier(t)), true
		}
	}
	if strings.Contains(name, "-") {
		// Slack joins the parts of a sequence with "-" where GitHub has
		// "_": ":man-shrugging:" is GitHub's ":man_shrugging:".
		return github(strings.ReplaceAll(name, "-", "_"))
	}
	return "", false
}

func github(name string) (string, bool) {
	e, ok := definition.Github().Get(name)
	if !ok || !e.IsUnicode() {
		return "", false // GitHub's own images (":octocat:") have no Unicode
	}
	return string(e.Unicode), true
}

func isLower(c byte) bool { return c >= 'a' && c <= 'z' }

// toneNumber parses Slack's skin tones, 2 (light) to 6 (dark).
func toneNumber(s string) (int, bool) {
	if len(s) != 1 || s[0] < '2' || s[0] > '6' {
		return 0, false
	}
	return int(s[0] - '0'), true
}

// toneAt returns the skin tone of a ":skin-tone-N:" that s starts with,
// and its length, or a length of 0.
func toneAt(s string) (int, int) {
	const prefix = ":skin-tone-"
	if len(s) < len(prefix)+2 || !strings.HasPrefix(s, prefix) || s[len(prefix)+1] != ':' {
		return 0, 0
	}
	n, ok := toneNumber(s[len(prefix) : len(prefix)+1])
	if !ok {
		return 0, 0
	}
	return n, len(prefix) + 2
}

// modifier is the Fitzpatrick modifier for Slack's skin tone n.
func modifier(n int) rune { return 0x1F3FB + rune(n-2) }

// withTone puts a skin tone modifier after the emoji's first character,
// where Unicode's modifier sequences have it (also in a sequence like
// 🏃‍♂️, where it goes on the person), in place of a variation selector.
func withTone(e string, n int) string {
	r, size := utf8.DecodeRuneInString(e)
	rest := strings.TrimPrefix(e[size:], "\uFE0F")
	return string(r) + string(modifier(n)) + rest
}
