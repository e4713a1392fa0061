package render

import (
	"strings"
	"unicode"
)

// MermaidLabel makes text a mermaid gantt task name that reads as the
// text did. Mermaid's gantt lexer (gantt.jison) takes a task name as
// [^#:\n;]+, so ':' ends the name and starts the task's data, and '#',
// ';' and a newline end the statement; "%%" starts a comment, and so does
// any character followed by '%' where a token starts; a name that starts
// with a keyword (gantt, title, section, click, call, href, dateFormat,
// axisFormat, ...; case-insensitive) or with a YYYY-MM-DD date lexes as
// that instead. The characters are replaced by look-alikes or by the
// punctuation a person would have used; a name that starts like a keyword
// or a date is quoted. Angle brackets, ampersands and quotes, which an
// HTML renderer of the diagram might read, get look-alikes too; control
// and invisible characters go, and runs of spaces become one.
func MermaidLabel(s string) string {
	var b strings.Builder
	space := false
	for _, r := range PlainText(s) {
		if r < 0x20 || unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		if alt, ok := mermaidLookAlike[r]; ok {
			b.WriteString(alt)
			continue
		}
		b.WriteRune(r)
	}
	out := b.String()
	if out == "" {
		return "unknown"
	}
	if startsLikeSyntax(out) {
		out = "“" + out + "”"
	}
	return out
}

// mermaidLookAlike replaces each character a task name cannot carry.
var mermaidLookAlike = map[rune]string{
	':':  "∶", // U+2236 RATIO
	';':  ",",
	'#':  "＃", // U+FF03 FULLWIDTH NUMBER SIGN
	'%':  "％", // U+FF05 FULLWIDTH PERCENT SIGN
	'<':  "‹",
	'>':  "›",
	'&':  "＆", // U+FF06 FULLWIDTH AMPERSAND
	'"':  "”",
	'\\': "/",
	'`':  "'",
}

// mermaidKeywords are the gantt lexer's rules that come before a task
// name's, in gantt.jison.
var mermaidKeywords = []string{
	"gantt", "dateformat", "inclusiveenddates", "topaxis", "axisformat", "tickinterval", "includes",
	"excludes", "todaymarker", "weekday", "title", "accdescription", "accdescr", "acctitle", "section",
	"click", "call", "href",
}

// startsLikeSyntax reports whether a task name would not lex as one: it
// starts with a keyword or a date.
func startsLikeSyntax(s string) bool {
	lower := strings.ToLower(s)
	for _, k := range mermaidKeywords {
		if strings.HasPrefix(lower, k) {
			return true
		}
	}
	if len(s) >= 10 {
		for i, c := range []byte(s[:10]) {
			if (i == 4 || i == 7) != (c == '-') || i != 4 && i != 7 && (c < '0' || c > '9') {
				return false
			}
		}
		return true
	}
	return false
}
