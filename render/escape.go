package render

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/wrapup/wrapup/archive/mrkdwn"
)

// This file turns untrusted strings into Markdown that shows them as
// written and can add no structure: no HTML, links, images, emphasis,
// table cells or template actions.

// mdEscaped are the ASCII characters that can start Markdown, GFM or
// GitHub syntax anywhere in a line; they are backslash-escaped, which
// CommonMark allows before any ASCII punctuation.
const mdEscaped = "\\`*_{}[]<>()#!|~&$"

// Text escapes plain text (a handle, a file name, a severity word) into
// one line of inline Markdown that shows it verbatim. It is the template
// function "text".
func Text(s string) string {
	if s == "" {
		return ""
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	s = strings.TrimLeft(s, " \t\r\n")
	start := true
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		next := s[i+n:]
		i += n
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			if !strings.HasSuffix(b.String(), " ") {
				b.WriteByte(' ')
			}
			continue
		case r == utf8.RuneError && n == 1, r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
			continue // invalid bytes and control characters show nothing
		case isBidi(r):
			fmt.Fprintf(&b, "[U+%04X]", r)
			start = false
			continue
		case isZeroWidth(r):
			if prev, _ := utf8.DecodeLastRuneInString(b.String()); !isJoined(prev, r, next) {
				continue
			}
		case r < utf8.RuneSelf && strings.ContainsRune(mdEscaped, r):
			b.WriteByte('\\')
		case start && (r == '-' || r == '+' || r == '='):
			// Block syntax counts only at the start of a line.
			b.WriteByte('\\')
		case start && r >= '0' && r <= '9':
			// "12." or "3)" would start an ordered list: escape the delimiter.
			if d := listNumber(s[i-n:]); d > 0 {
				b.WriteString(s[i-n : i-n+d])
				b.WriteByte('\\')
				b.WriteByte(s[i-n+d])
				i += d
				start = false
				continue
			}
		case r == ':' && strings.HasPrefix(next, "//"):
			// "x://" would be linkified by GFM.
			b.WriteByte('\\')
		case (r == 'w' || r == 'W') && hasPrefixFold(s[i-n:], "www."):
			b.WriteString(s[i-n : i+2])
			b.WriteString("\\.")
			i += 3
			start = false
			continue
		}
		b.WriteRune(r)
		start = false
	}
	return strings.TrimRight(b.String(), " ")
}

// listNumber returns the number of digits when s starts like an ordered
// list item, "12. " or "3)", else 0.
func listNumber(s string) int {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i < len(s) && (s[i] == '.' || s[i] == ')') && (i+1 == len(s) || s[i+1] == ' ' || s[i+1] == '\t') {
		return i
	}
	return 0
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// isBidi reports the characters that reorder text (the "Trojan Source"
// controls): shown as [U+202E] so a reader sees them.
func isBidi(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x200e || r == 0x200f || r == 0x061c
}

// isZeroWidth reports the invisible characters that can hide text or
// split words; they are dropped.
func isZeroWidth(r rune) bool {
	return r == 0x200b || r == 0x200c || r == 0x200d || r == 0x2060 || r == 0xfeff || r == 0x180e
}

// isJoined reports a joiner (U+200D, U+200C) between two non-ASCII
// characters, which emoji sequences (👩‍💻) and some scripts need; it is
// kept there, as archive/mrkdwn keeps it, and dropped anywhere else.
func isJoined(prev, r rune, next string) bool {
	if r != 0x200d && r != 0x200c || prev < utf8.RuneSelf {
		return false
	}
	n, _ := utf8.DecodeRuneInString(next)
	return n >= utf8.RuneSelf && n != utf8.RuneError && !isBidi(n) && !isZeroWidth(n) && !unicode.IsSpace(n)
}

// inlineDecoded converts text whose Slack markup was already flattened
// (the timeline's summaries: "@alice", entities decoded) into one line of
// Markdown, keeping Slack's *bold*, _italic_, ~strike~ and `code`.
func inlineDecoded(s string) string { return mrkdwn.ToInlineDecoded(s) }

// Link makes a Markdown link of label (already Markdown) to target, when
// target is an absolute http, https or mailto URL; otherwise it returns
// label alone. The target is percent-encoded so that it cannot end the
// link or a table cell early. It is the template function "link".
func Link(label, target string) string {
	u := SafeURL(target)
	if u == "" {
		return label
	}
	if label == "" {
		label = Text(target)
	}
	return "[" + label + "](" + u + ")"
}

// SafeURL returns target, percent-encoded for use in a Markdown link
// destination, when it is an absolute http, https or mailto URL with a
// host (or address); otherwise "".
func SafeURL(target string) string {
	if target == "" || len(target) > 4096 {
		return ""
	}
	for i := 0; i < len(target); i++ {
		if c := target[i]; c <= ' ' || c == 0x7f {
			return ""
		}
	}
	u, err := url.Parse(target)
	if err != nil {
		return ""
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		if u.Host == "" {
			return ""
		}
	case "mailto":
		if u.Opaque == "" {
			return ""
		}
	default:
		return ""
	}
	var b strings.Builder
	for i := 0; i < len(target); i++ {
		c := target[i]
		if c >= 0x80 || strings.IndexByte("()<>|[]\\`\"'{}", c) >= 0 {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// PlainText cleans untrusted text for a place that escapes it but shows
// it as is (HTML text, an SVG label, a file name): control characters and
// invisible ones are dropped, bidi controls shown as [U+202E].
func PlainText(s string) string {
	clean := true
	for i, r := range s {
		if r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f || isBidi(r) || r == utf8.RuneError ||
			isZeroWidth(r) && !isJoined(lastRune(s[:i]), r, s[i+utf8.RuneLen(r):]) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == '\n' || r == '\t' || r == '\r':
			b.WriteByte(' ')
		case r == utf8.RuneError && n == 1, r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		case isZeroWidth(r) && !isJoined(lastRune(b.String()), r, s[i:]):
		case isBidi(r):
			fmt.Fprintf(&b, "[U+%04X]", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}
