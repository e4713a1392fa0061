package mrkdwn

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// entityDecoder undoes the only three entities Slack writes. A Replacer
// never rescans its own output, which is exactly "decoded once": the text
// "&amp;lt;" becomes the literal "&lt;", not "<".
var entityDecoder = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">")

// decode undoes Slack's escaping of &, < and >. Any other entity-looking
// text ("&#60;", "&quot;") is what the user typed and stays as it is.
func decode(s string) string {
	if strings.IndexByte(s, '&') < 0 {
		return s
	}
	return entityDecoder.Replace(s)
}

// isBidi reports the bidirectional formatting characters. They can reorder
// what a reader sees ("Trojan Source"), so they are shown, not obeyed.
func isBidi(r rune) bool {
	switch {
	case r == 0x061C, r == 0x200E, r == 0x200F:
		return true
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// isZeroWidth reports characters that render as nothing and are used to hide
// or split text ("java\u200bscript", "{\u200b{").
func isZeroWidth(r rune) bool {
	switch r {
	case 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x180E:
		return true
	}
	return false
}

// isTag reports the Unicode tag characters, invisible ASCII look-alikes that
// have no use but to spell subdivision flags (and to smuggle hidden text).
func isTag(r rune) bool { return r >= 0xE0000 && r <= 0xE007F }

// clean makes text safe to look at: control characters are dropped, bidi
// controls become visible "[U+202E]" markers, zero-width characters are
// dropped except a joiner between two non-ASCII characters (emoji sequences,
// Indic and Arabic shaping), and tag characters survive only inside a flag
// sequence. Newlines survive only when keepNewlines is set (code blocks);
// elsewhere they become spaces so a resolver's name cannot break a line.
func clean(s string, keepNewlines bool) string {
	return sanitize(s, keepNewlines, true)
}

// dropInvisible is clean without the bidi markers and with newlines kept.
// parse runs it on the raw message first, so characters nobody can see do
// not decide Slack's word boundaries ("*!*\x1e0" is not bold in GFM once
// the control character is gone, so it must not be bold here either).
func dropInvisible(s string) string {
	return sanitize(s, true, false)
}

func sanitize(s string, keepNewlines, showBidi bool) string {
	if isPlainASCII(s, keepNewlines) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	prev := rune(-1)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '\n' && !keepNewlines, r == 0x2028, r == 0x2029:
			r = ' '
		case r == '\n', r == '\t':
		case r < 0x20, r >= 0x7F && r < 0xA0:
			continue
		case isBidi(r) && showBidi:
			fmt.Fprintf(&b, "[U+%04X]", r)
			prev = ']'
			continue
		case r == 0x200C || r == 0x200D:
			next, _ := utf8.DecodeRuneInString(s[i:])
			if prev < 0x80 || next < 0x80 || isBidi(next) || isZeroWidth(next) || unicode.IsSpace(next) {
				continue
			}
		case isZeroWidth(r):
			continue
		case isTag(r):
			if prev != 0x1F3F4 && !isTag(prev) {
				continue
			}
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

// isPlainASCII is clean's fast path: printable ASCII needs no work.
func isPlainASCII(s string, keepNewlines bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x7F || (c < 0x20 && c != '\t' && (c != '\n' || !keepNewlines)) {
			return false
		}
	}
	return true
}

// hasPrefixFold is strings.HasPrefix ignoring ASCII case only, for the
// lower-case ASCII prefixes of URL schemes.
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// isWord reports the characters that bind a formatting marker into a
// word, which is why snake_case_names and 2*3*4 stay as typed. Anything
// but space, punctuation and symbols counts, combining marks included:
// that is where GFM's flanking rules draw the line too, so a span this
// package emits is one GFM renders.
func isWord(r rune) bool {
	return !unicode.IsSpace(r) && !unicode.IsPunct(r) && !unicode.IsSymbol(r)
}

// longestRun returns the length of the longest run of c in s.
func longestRun(s string, c byte) int {
	longest, n := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			n++
			longest = max(longest, n)
		} else {
			n = 0
		}
	}
	return longest
}
