package mrkdwn

import "strings"

// code writes a GFM code span. Its delimiter is one backtick longer than
// any run inside, and it is padded with a space when the content starts or
// ends with a backtick or would lose a space of its own to GFM's stripping.
func (w *mdWriter) code(s string) {
	s = breakBraces(s)
	if w.inline {
		s = escapeCellPipes(strings.ReplaceAll(s, "\n", "↵"))
	}
	if s == "" {
		return
	}
	if n := len(w.buf); n > 0 && w.buf[n-1] == '`' {
		w.buf = append(w.buf, ' ') // "`a``b`" would be one span
	}
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	pad := s[0] == '`' || s[len(s)-1] == '`' ||
		s[0] == ' ' && s[len(s)-1] == ' ' && strings.Trim(s, " ") != ""
	w.buf = append(w.buf, fence...)
	if pad {
		w.buf = append(w.buf, ' ')
	}
	w.buf = append(w.buf, s...)
	if pad {
		w.buf = append(w.buf, ' ')
	}
	w.buf = append(w.buf, fence...)
	w.lineStart = false
}

// breakBraces puts a zero-width space between two "{", the one place code
// cannot be escaped. The output then never holds a template action, even if
// someone later feeds it to text/template by mistake.
func breakBraces(s string) string {
	if !strings.Contains(s, "{{") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		if s[i] == '{' && i > 0 && s[i-1] == '{' {
			b.WriteString("\u200b")
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// escapeCellPipes makes every "|" in a code span escaped for a GFM table.
// The cell splitter runs before inline parsing and reads "\\|" as an
// escaped backslash and a cell border, so the backslashes before each pipe
// are made odd in number.
func escapeCellPipes(s string) string {
	if strings.IndexByte(s, '|') < 0 {
		return s
	}
	var b strings.Builder
	slashes := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '|':
			b.WriteString(`\`)
			if slashes%2 == 1 {
				b.WriteString(`\`)
			}
			slashes = 0
		case '\\':
			slashes++
		default:
			slashes = 0
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
