package mrkdwn

import "strings"

// ToMarkdown converts Slack mrkdwn to block-level GFM that renders as
// exactly what the user wrote, with Slack's formatting translated. A Slack
// newline is a hard line break, a blank line a paragraph break; the result
// has no trailing newline and must start on a line of its own. r may be nil.
func ToMarkdown(text string, r Resolver) string {
	var o blockWriter
	for _, b := range parse(text, r) {
		if b.code {
			o.unit(b.quote, fenceLines(b.text))
			continue
		}
		var para []string
		for _, line := range b.lines {
			w := mdWriter{lineStart: true}
			w.nodes(line)
			s := strings.TrimRight(string(w.buf), " \t")
			if s == "" {
				// Only invisible characters: a line GFM would read as blank.
				o.para(b.quote, para)
				para = nil
				continue
			}
			para = append(para, s)
		}
		o.para(b.quote, para)
	}
	return o.b.String()
}

// ToInline converts Slack mrkdwn to one line of GFM that is safe inside a
// table cell: lines and blocks are joined with spaces, code blocks become
// code spans with "↵" for their newlines, quoted blocks start with "> ",
// and every "|" is escaped. r may be nil.
func ToInline(text string, r Resolver) string {
	return inline(parse(text, r))
}

// inline joins parsed blocks into one line, for [ToInline].
func inline(blocks []block) string {
	var parts []string
	for _, b := range blocks {
		var lines []string
		render := func(f func(*mdWriter)) {
			// Block syntax matters only at the very start: a caller may put
			// the result after "- " as well as in a cell.
			w := mdWriter{inline: true, lineStart: len(parts) == 0 && len(lines) == 0 && !b.quote}
			f(&w)
			if s := strings.Trim(string(w.buf), " \t"); s != "" {
				lines = append(lines, s)
			}
		}
		if b.code {
			render(func(w *mdWriter) { w.code(b.text) })
		}
		for _, line := range b.lines {
			render(func(w *mdWriter) { w.nodes(line) })
		}
		if len(lines) > 0 {
			s := strings.Join(lines, " ")
			if b.quote {
				s = `\> ` + s
			}
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " ")
}

// blockWriter joins rendered blocks, prefixing quoted ones with "> ".
// Adjacent quoted blocks are joined by a ">" line so they stay one quote;
// anything else gets a blank line, which also stops GFM's lazy
// continuation from pulling the next paragraph into a quote.
type blockWriter struct {
	b          strings.Builder
	started    bool
	afterQuote bool
}

// para writes a paragraph, marking every line but the last with a GFM
// hard break. A backslash before the newline is the break that survives
// editors trimming trailing spaces, and at a paragraph's end it would be a
// literal backslash, so the last line gets none. After an escaped
// backslash goldmark misreads it, so there the break is two spaces.
func (o *blockWriter) para(quote bool, lines []string) {
	for i := 0; i+1 < len(lines); i++ {
		if strings.HasSuffix(lines[i], `\`) {
			lines[i] += "  "
		} else {
			lines[i] += `\`
		}
	}
	o.unit(quote, lines)
}

func (o *blockWriter) unit(quote bool, lines []string) {
	if len(lines) == 0 {
		return
	}
	if o.started {
		if o.afterQuote && quote {
			o.b.WriteString("\n>\n")
		} else {
			o.b.WriteString("\n\n")
		}
	}
	o.started, o.afterQuote = true, quote
	for i, l := range lines {
		if i > 0 {
			o.b.WriteByte('\n')
		}
		switch {
		case quote && l == "":
			o.b.WriteByte('>')
		case quote:
			o.b.WriteString("> ")
		}
		o.b.WriteString(l)
	}
}

// fenceLines renders a code block with a fence longer than any backtick run
// inside it, so no content line can close it; with no info string after
// the fence, nothing the user wrote can pick a renderer (mermaid, math).
func fenceLines(code string) []string {
	fence := strings.Repeat("`", max(3, longestRun(code, '`')+1))
	lines := []string{fence}
	if code != "" {
		lines = append(lines, strings.Split(breakBraces(code), "\n")...)
	}
	return append(lines, fence)
}

// mdWriter renders the nodes of one line as GFM.
type mdWriter struct {
	buf       []byte
	inline    bool // ToInline: code spans escape "|" and show newlines as "↵"
	lineStart bool // nothing but indentation written on this line yet
}

// delim returns the GFM delimiter for a span. GFM reads a run of "*" as
// one delimiter, so "**a**" followed by "*b*" would be "**a***b*"; a span
// opening right after a "*" uses "_" instead ("_" needs no intraword
// freedom here, as Slack's markers sit at word boundaries anyway).
func (w *mdWriter) delim(k nodeKind) string {
	afterStar := len(w.buf) > 0 && w.buf[len(w.buf)-1] == '*'
	switch {
	case k == nStrike:
		return "~~"
	case k == nBold && afterStar:
		return "__"
	case k == nBold:
		return "**"
	case afterStar:
		return "_"
	}
	return "*"
}

func (w *mdWriter) nodes(ns []node) {
	for _, n := range ns {
		switch n.kind {
		case nText:
			w.escape(n.text, true)
		case nCode:
			w.code(n.text)
		case nLink:
			if !allowedURL(n.url) {
				// javascript:, data:, file: and friends are shown, never linked.
				w.escape(plainLink(n.url, n.text), true)
				continue
			}
			w.link(n.url, n.text)
		default:
			// An empty span would leave "****", a thematic break at the start
			// of a line, so a span that wrote nothing is taken back.
			mark, lineStart := len(w.buf), w.lineStart
			d := w.delim(n.kind)
			w.buf = append(w.buf, d...)
			w.lineStart = false
			inner := len(w.buf)
			w.nodes(n.kids)
			if len(w.buf) == inner {
				w.buf, w.lineStart = w.buf[:mark], lineStart
				continue
			}
			w.buf = append(w.buf, d...)
		}
	}
}

// mdEscaped are the characters always backslash-escaped in text: every
// ASCII character that can start or end inline syntax in GFM or on GitHub
// ("$" is GitHub's math, "&" an entity, "!" before a link an image, "|" a
// table cell, "{" half of a template action).
const mdEscaped = "\\`*_{}[]<>()#!|~&$"

// escape writes text so it renders literally. With links set, http and
// https URLs in the text become autolinks of their own rather than being
// left to GFM's linkify, which would read the escapes into the address.
func (w *mdWriter) escape(s string, links bool) {
	i := 0
	if w.lineStart {
		// Leading space would make an indented code block; it renders as
		// nothing anyway.
		s = strings.TrimLeft(s, " \t")
		if s == "" {
			return
		}
		w.lineStart = false
		i = w.lineMarker(s)
	}
	for i < len(s) {
		c := s[i]
		if links && (c|0x20 == 'h' || c|0x20 == 'w') {
			if end := urlEnd(s, i); end > i {
				w.bareURL(s[i:end])
				i = end
				continue
			}
		}
		// "ftp://x" and "xmpp:a@b.c" would still be linkified, to schemes
		// the model does not allow; an escaped ":" is not.
		if strings.IndexByte(mdEscaped, c) >= 0 ||
			c == ':' && (strings.HasPrefix(s[i+1:], "//") || i >= 4 && hasPrefixFold(s[i-4:], "xmpp")) {
			w.buf = append(w.buf, '\\')
		}
		w.buf = append(w.buf, c)
		i++
	}
}

// lineMarker escapes what only means something at the start of a line:
// "-" and "+" list items, "-" and "=" setext underlines and thematic
// breaks, "1." ordered items ("1)" is covered by ")" always being
// escaped), and ":" and "-" starting a table's delimiter row (":-" alone
// is one to goldmark). It returns how much of s it wrote.
func (w *mdWriter) lineMarker(s string) int {
	switch s[0] {
	case '-', '+', '=', ':':
		w.buf = append(w.buf, '\\', s[0])
		return 1
	}
	d := 0
	for d < len(s) && s[d] >= '0' && s[d] <= '9' {
		d++
	}
	if d > 0 && d < len(s) && s[d] == '.' {
		w.buf = append(w.buf, s[:d]...)
		w.buf = append(w.buf, '\\', '.')
		return d + 1
	}
	return 0
}
