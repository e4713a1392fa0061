package redact

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Ellipsis marks a cut.
const Ellipsis = "…"

// Cut returns s redacted, then cut to at most n runes, the "…" that marks
// a cut included. Redacting first matters: a secret that straddles the
// cut would otherwise leave its first part in the text, too short for any
// rule to match. Every place that shortens text it publishes should cut
// with Cut rather than cut and then redact.
func (r *Redactor) Cut(s string, n int) string {
	out, _ := r.RedactCut(s, n)
	return out
}

// RedactCut is Cut that also says how many secrets it masked.
func (r *Redactor) RedactCut(s string, n int) (string, int) {
	s, count := r.Redact(s)
	return cutRunes(s, n), count
}

// cutRunes cuts s to at most n runes, "…" included, with no space before
// the "…". n < 1 gives "".
func cutRunes(s string, n int) string {
	if n < 1 {
		return ""
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for j := range s {
		if i == n-1 {
			return strings.TrimRightFunc(s[:j], unicode.IsSpace) + Ellipsis
		}
		i++
	}
	return s
}
