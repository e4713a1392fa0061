package mrkdwn

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// markdownProblem returns why out, a ToMarkdown or ToInline result, might
// render as anything but text and the formatting this package emits, or ""
// if it cannot. It is a small lexer for the subset of GFM the package
// writes: escaped text, **, *, __, _, ~~, code spans, fences, "> " quotes,
// [label](dest) and <autolink> with http, https or mailto only. Anything
// else unescaped (a "<" that is not an autolink, a "](" with another
// scheme, a "|", a "{{") is a problem, so the check is stricter than
// GFM, and needs no renderer.
func markdownProblem(out string, inline bool) string {
	switch {
	case !utf8.ValidString(out):
		return "invalid UTF-8"
	case strings.Contains(out, "{{"):
		return "template action {{"
	case strings.ContainsRune(out, '\r'):
		return "carriage return"
	case inline && strings.Contains(out, "\n"):
		return "newline in inline output"
	}
	if p := invisibleProblem(out); p != "" {
		return p
	}
	fence := 0
	for n, line := range strings.Split(out, "\n") {
		l := line
		for strings.HasPrefix(l, ">") {
			l = strings.TrimPrefix(l[1:], " ")
		}
		if fence > 0 {
			if run := leadingRun(l, '`'); run >= fence && run == len(l) {
				fence = 0
			}
			continue
		}
		if run := leadingRun(l, '`'); run >= 3 && !strings.Contains(l[run:], "`") {
			if l[run:] != "" {
				return fmt.Sprintf("line %d: fence with an info string", n+1)
			}
			fence = run
			continue
		}
		if p := lineStartProblem(l); p != "" {
			return fmt.Sprintf("line %d: %s in %q", n+1, p, line)
		}
		if p := inlineProblem(l, inline); p != "" {
			return fmt.Sprintf("line %d: %s in %q", n+1, p, line)
		}
	}
	if fence > 0 {
		return "unclosed fence"
	}
	return ""
}

// invisibleProblem allows only the invisible characters the package
// writes on purpose: a zero-width space between "{" and "{", and joiners
// between two non-ASCII characters.
func invisibleProblem(out string) string {
	for i, r := range out {
		switch {
		case isBidi(r), isTag(r) && !strings.Contains(out, "\U0001F3F4"):
			return fmt.Sprintf("invisible %U", r)
		case r == 0x200B:
			if !strings.HasSuffix(out[:i], "{") || !strings.HasPrefix(out[i+3:], "{") {
				return "zero-width space outside {{"
			}
		case r == 0x200C, r == 0x200D:
			prev, _ := utf8.DecodeLastRuneInString(out[:i])
			next, _ := utf8.DecodeRuneInString(out[i+3:])
			if prev < 0x80 || next < 0x80 {
				return fmt.Sprintf("joiner %U next to ASCII", r)
			}
		case isZeroWidth(r), r < 0x20 && r != '\n' && r != '\t':
			return fmt.Sprintf("invisible %U", r)
		}
	}
	return ""
}

// lineStartProblem reports what would make l more than a paragraph line.
func lineStartProblem(l string) string {
	if l == "" {
		return ""
	}
	switch {
	case l[0] == ' ' || l[0] == '\t':
		return "indented line"
	case strings.IndexByte("#-+=|:", l[0]) >= 0:
		return "unescaped line-start " + l[:1]
	case strings.HasPrefix(l, "* "), strings.HasPrefix(l, "~~~"):
		return "list item or fence"
	case isThematicBreak(l):
		return "thematic break"
	}
	d := 0
	for d < len(l) && l[d] >= '0' && l[d] <= '9' {
		d++
	}
	if d > 0 && d < len(l) && (l[d] == '.' || l[d] == ')') {
		return "ordered list item"
	}
	return ""
}

// isThematicBreak reports three or more of one of "*", "-", "_", with
// only spaces and tabs between.
func isThematicBreak(l string) bool {
	l = strings.NewReplacer(" ", "", "\t", "").Replace(l)
	return len(l) >= 3 && strings.Trim(l, l[:1]) == "" && strings.Contains("*-_", l[:1])
}

// inlineProblem lexes one line outside code blocks.
func inlineProblem(l string, inline bool) string {
	for i := 0; i < len(l); {
		c := l[i]
		switch c {
		case '\\':
			if i+1 < len(l) && strings.IndexByte(asciiPunct, l[i+1]) >= 0 {
				i += 2
				continue
			}
			i++
		case '`':
			run := leadingRun(l[i:], '`')
			end := closingRun(l, i+run, run)
			if end < 0 {
				return "unmatched backtick"
			}
			if inline && !pipesEscaped(l[i+run:end]) {
				return "unescaped | in a code span"
			}
			i = end + run
		case '<':
			end := strings.IndexByte(l[i:], '>')
			if end < 0 || !linkable(l[i+1:i+end], true) {
				return "< that is not an http(s) or mailto autolink"
			}
			i += end + 1
		case '[':
			j := i + 1
			for j < len(l) && l[j] != ']' {
				if l[j] == '\\' {
					j++
				}
				j++
			}
			if j+1 >= len(l) || l[j+1] != '(' {
				return "[ that is not a link"
			}
			if p := inlineProblem(l[i+1:j], inline); p != "" {
				return "link label: " + p
			}
			k := strings.IndexByte(l[j:], ')')
			if k < 0 || !linkable(l[j+2:j+k], false) {
				return "link to something other than http(s) or mailto"
			}
			i = j + k + 1
		case '~':
			if !strings.HasPrefix(l[i:], "~~") {
				return "single ~"
			}
			i += 2
		case ':':
			if strings.HasPrefix(l[i+1:], "//") || i >= 4 && hasPrefixFold(l[i-4:], "xmpp") {
				return "unescaped :// or xmpp: outside a link"
			}
			i++
		default:
			if strings.IndexByte("]()|{}&$#!>", c) >= 0 {
				return fmt.Sprintf("unescaped %q", c)
			}
			i++
		}
	}
	return ""
}

const asciiPunct = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"

// linkable reports a link destination, or with autolink set the inside of
// an autolink, that the safety model allows.
func linkable(dest string, autolink bool) bool {
	bad := " \t<>()\"`"
	if autolink {
		bad = " \t<>\"`" // an autolink cannot be ended by a parenthesis
	}
	return allowedURL(dest) && !strings.ContainsAny(dest, bad)
}

func leadingRun(s string, c byte) int {
	n := 0
	for n < len(s) && s[n] == c {
		n++
	}
	return n
}

// closingRun finds the next run of exactly n backticks at or after from.
func closingRun(s string, from, n int) int {
	for i := from; i < len(s); {
		if s[i] != '`' {
			i++
			continue
		}
		run := leadingRun(s[i:], '`')
		if run == n {
			return i
		}
		i += run
	}
	return -1
}

// pipesEscaped reports whether every "|" in a code span has an odd number
// of backslashes before it, which is what a GFM table cell needs.
func pipesEscaped(code string) bool {
	for i := 0; i < len(code); i++ {
		if code[i] != '|' {
			continue
		}
		n := 0
		for n < i && code[i-1-n] == '\\' {
			n++
		}
		if n%2 == 0 {
			return false
		}
	}
	return true
}
