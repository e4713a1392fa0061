// Package term makes untrusted text safe to write to a terminal or a CI
// log. A channel name, a title or a bot's name comes from Slack or an
// export, and a terminal acts on what it prints: an escape sequence can
// retitle the window, move the cursor over earlier lines, or hide text; a
// carriage return overwrites the line it is on; bidi controls reorder what
// follows. [Clean] and [Line] remove all of those and keep the rest as
// text.
package term

import (
	"strings"
	"unicode/utf8"
)

// Clean returns s without what a terminal would act on: escape sequences
// (CSI, OSC, DCS, SOS, PM, APC and the short ESC ones, in their 7-bit and
// C1 forms), the C0 controls but newline and tab, DEL, the C1 controls,
// and the bidi controls. Invalid UTF-8 bytes become U+FFFD.
func Clean(s string) string {
	if isClean(s, true) {
		return s
	}
	return clean(s, true)
}

// Line is Clean for text that must stay on one line (a name in a log
// line): newlines and tabs become spaces as well, so that a name cannot
// start a line of its own that looks like wrapup's.
func Line(s string) string {
	if isClean(s, false) {
		return s
	}
	return clean(s, false)
}

// isClean is the fast path: most names are printable ASCII.
func isClean(s string, keepLines bool) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && !(keepLines && (c == '\n' || c == '\t')) || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || isC1(r) || isBidi(r) {
			return false
		}
		i += n
	}
	return true
}

func clean(s string, keepLines bool) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == 0x1b: // ESC
			i += n + escLen(s[i+n:])
			continue
		case r == 0x9b: // C1 CSI
			i += n + csiLen(s[i+n:])
			continue
		case r == 0x90 || r == 0x98 || r == 0x9d || r == 0x9e || r == 0x9f: // C1 DCS, SOS, OSC, PM, APC
			i += n + stringLen(s[i+n:])
			continue
		case r == '\n' || r == '\t':
			if keepLines {
				b.WriteRune(r)
			} else {
				b.WriteByte(' ')
			}
		case r == utf8.RuneError && n == 1:
			b.WriteRune(utf8.RuneError)
		case r < 0x20, r == 0x7f, isC1(r), isBidi(r):
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// escLen is the length of the escape sequence whose ESC came just before
// s (ECMA-48 and its use by xterm): CSI "[", the control strings
// "]", "P", "X", "^" and "_" up to their terminator, intermediates 0x20–0x2F
// and a final byte. An unfinished sequence runs to the end of s, as a
// terminal would swallow it.
func escLen(s string) int {
	if s == "" {
		return 0
	}
	switch s[0] {
	case '[':
		return 1 + csiLen(s[1:])
	case ']', 'P', 'X', '^', '_':
		return 1 + stringLen(s[1:])
	}
	i := 0
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
		i++
	}
	if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7e {
		return i + 1
	}
	return i
}

// csiLen is the length of a control sequence's parameters, intermediates
// and final byte (0x40–0x7E). A byte outside them ends it there.
func csiLen(s string) int {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 0x20 && c <= 0x3f:
		case c >= 0x40 && c <= 0x7e:
			return i + 1
		default:
			return i
		}
	}
	return len(s)
}

// stringLen is the length of a control string up to and including its
// terminator: BEL, ESC \ or the C1 ST; the whole of s when it has none.
func stringLen(s string) int {
	for i := 0; i < len(s); {
		switch {
		case s[i] == 0x07:
			return i + 1
		case s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\':
			return i + 2
		case strings.HasPrefix(s[i:], "\u009c"):
			return i + len("\u009c")
		}
		i++
	}
	return len(s)
}

func isC1(r rune) bool { return r >= 0x80 && r <= 0x9f }

// isBidi reports the characters that reorder the text after them.
func isBidi(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x200e || r == 0x200f || r == 0x061c
}
