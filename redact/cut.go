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

// Recut is [Redactor.Cut] for text someone else already cut: short,
// redacted, unless short is a cut of full's first line (it ends in "…"
// and full's first line starts with the rest), in which case that line is
// redacted and then cut to short's length. A summary cut before it was
// redacted (the timeline cuts action items at 200 runes) can hold the first
// part of a secret straddling the cut, too short for any rule; full, the
// text it was cut from, still holds it whole.
func (r *Redactor) Recut(short, full string) string {
	out, _ := r.RedactRecut(short, full)
	return out
}

// RedactRecut is Recut that also says how many secrets it masked.
func (r *Redactor) RedactRecut(short, full string) (string, int) {
	head, cut := strings.CutSuffix(short, Ellipsis)
	first, _, _ := strings.Cut(full, "\n")
	first = strings.TrimSpace(first)
	if !cut || full == "" || !strings.HasPrefix(first, head) {
		return r.Redact(short)
	}
	return r.RedactCut(first, utf8.RuneCountInString(short))
}
