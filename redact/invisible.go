package redact

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A renderer drops characters that show nothing: a zero-width space, a NUL
// or a soft hyphen inside "xoxb-…" hides the token from a regular
// expression and disappears on the page, where the whole token shows.
// Rules therefore match on a view of the text without them, and each match
// is mapped back to the raw text, invisible characters inside it included.

// Invisible reports whether r shows nothing when rendered: control
// characters other than newline and tab, format characters (zero-width
// space and joiners, soft hyphen, bidi controls, BOM, tags), variation
// selectors, the combining grapheme joiner and the Hangul fillers.
// utf8.RuneError stands for an invalid byte, which renderers drop too.
func Invisible(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f:
		return true
	case r < 0xa0:
		return false
	case r == utf8.RuneError, r == 0x034f, r == 0x115f, r == 0x1160, r == 0x3164, r == 0xffa0:
		return true
	case r >= 0xfe00 && r <= 0xfe0f, r >= 0xe0100 && r <= 0xe01ef:
		return true
	}
	return unicode.Is(unicode.Cf, r)
}

// Visible returns s without its invisible characters (see [Invisible]) and
// without invalid bytes.
func Visible(s string) string { return newView(s).text }

// view is s without its invisible characters. Each run of them removed
// is a gap: text offset at, and the raw bytes removed up to and including
// it, so that mapping back costs memory per run, not per byte.
type view struct {
	raw, text string
	gaps      []gap
}

type gap struct{ at, removed int }

func newView(s string) view {
	if !hasInvisible(s) {
		return view{raw: s, text: s}
	}
	var b strings.Builder
	b.Grow(len(s))
	var gaps []gap
	removed := 0
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || Invisible(r) {
			removed += n
			if k := len(gaps) - 1; k >= 0 && gaps[k].at == b.Len() {
				gaps[k].removed = removed
			} else {
				gaps = append(gaps, gap{at: b.Len(), removed: removed})
			}
			i += n
			continue
		}
		b.WriteString(s[i : i+n])
		i += n
	}
	return view{raw: s, text: b.String(), gaps: gaps}
}

// rawOf is the raw offset of the text byte at offset o.
func (v view) rawOf(o int) int {
	k := sort.Search(len(v.gaps), func(k int) bool { return v.gaps[k].at > o })
	if k == 0 {
		return o
	}
	return o + v.gaps[k-1].removed
}

// hasInvisible is the fast path: most text is printable ASCII.
func hasInvisible(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\n' && c != '\t' || c == 0x7f {
				return true
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || Invisible(r) {
			return true
		}
		i += n
	}
	return false
}

// span maps the match text[start:end] to raw: from its first visible byte
// through its last, taking the invisible characters between them along.
func (v view) span(start, end int) (int, int) {
	if v.gaps == nil {
		return start, end
	}
	if end <= start {
		r := v.rawOf(start)
		return r, r
	}
	return v.rawOf(start), v.rawOf(end-1) + 1
}
