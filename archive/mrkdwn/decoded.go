package mrkdwn

import "strings"

// Slack sends message text with &, < and > escaped as &amp; &lt; &gt;, and
// its markup (<@U1>, <#C1|ops>, <https://x|label>) unescaped. The
// functions in this file are for text past that point: [Decode] is the one
// decoding step, after which a "<" is either markup or something the user
// typed, and [Flatten] and [ToInlineDecoded] take decoded text from there.

// Decode undoes the only escaping Slack applies to message text, keeping
// mention and link markup: "a &amp;lt; <@U1>" becomes "a &lt; <@U1>". It
// is the text timeline rules match against. Other entity-looking text
// ("&#60;", "&quot;") is what the user typed and is kept.
func Decode(text string) string { return decode(text) }

// Flatten turns the markup left in decoded text into what a reader sees:
// <@U1> -> "@" + handle("U1"), <#C1|ops> -> #ops, <!subteam^S1|@oncall>
// -> @oncall, <url|label> -> label, <url> -> url, <!here> -> @here. A "<"
// that does not start markup (a decoded "&lt;") is kept as text, and so is
// everything else: formatting markers stay. A nil handle shows the ID.
func Flatten(decoded string, handle func(id string) string) string {
	if !strings.Contains(decoded, "<") {
		return decoded
	}
	if handle == nil {
		handle = func(id string) string { return id }
	}
	s := decoded
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			break
		}
		tok := s[i+1 : i+j]
		if !isMarkup(tok) {
			// A decoded "&lt;", not markup: keep it and look further on.
			b.WriteString(s[:i+1])
			s = s[i+1:]
			continue
		}
		b.WriteString(s[:i])
		b.WriteString(flatToken(tok, handle))
		s = s[i+j+1:]
	}
	b.WriteString(s)
	return b.String()
}

// isMarkup reports whether the text between < and > of decoded text is
// Slack markup.
func isMarkup(tok string) bool {
	if tok == "" || strings.ContainsAny(tok, " \n<") && !strings.Contains(tok, "|") {
		return false
	}
	return strings.HasPrefix(tok, "@") || strings.HasPrefix(tok, "#") || strings.HasPrefix(tok, "!") ||
		strings.Contains(tok, "://") || strings.HasPrefix(tok, "mailto:")
}

// flatToken is what a reader sees of one piece of markup.
func flatToken(tok string, handle func(id string) string) string {
	target, label, hasLabel := strings.Cut(tok, "|")
	switch {
	case strings.HasPrefix(target, "@"):
		return "@" + handle(target[1:])
	case strings.HasPrefix(target, "#"):
		if hasLabel {
			return "#" + label
		}
		return target
	case strings.HasPrefix(target, "!subteam^"):
		if hasLabel {
			return label
		}
		return "@" + strings.TrimPrefix(target, "!subteam^")
	case strings.HasPrefix(target, "!"):
		if hasLabel {
			return label
		}
		return "@" + strings.TrimPrefix(target, "!")
	case hasLabel:
		return label
	}
	return target
}

// ToInlineDecoded is [ToInline] for text that is already decoded and
// flattened (a timeline summary: "@alice", "a < b & c"): every "<", ">"
// and "&" in it is a character the reader sees, never markup or an
// entity, and Slack's *bold*, _italic_, ~strike~, `code`, ``` blocks and
// ">" quotes are translated as ToInline translates them.
func ToInlineDecoded(decoded string) string {
	return inline((&parser{decoded: true}).parse(decoded))
}
