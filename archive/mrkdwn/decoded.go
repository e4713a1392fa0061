package mrkdwn

import (
	"strings"

	"github.com/wrapup/wrapup/archive/emoji"
)

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
//
// It is linear in the input: each "<" looks up the next ">", "<", "|",
// space, newline and "://" in caches that only move forward.
func Flatten(decoded string, handle func(id string) string) string {
	if !strings.Contains(decoded, "<") {
		return decoded
	}
	if handle == nil {
		handle = func(id string) string { return id }
	}
	s := decoded
	f := flattener{s: s,
		gt: nextIndex{s: s, c: '>', at: -2}, lt: nextIndex{s: s, c: '<', at: -2},
		bar: nextIndex{s: s, c: '|', at: -2}, space: nextIndex{s: s, c: ' ', at: -2},
		newline: nextIndex{s: s, c: '\n', at: -2}, scheme: nextString{s: s, sub: "://", at: -2}}
	var b strings.Builder
	done := 0 // s[:done] is written
	for i := f.lt.from(0); i >= 0; {
		end := f.gt.from(i + 1)
		if end < 0 {
			break
		}
		next := f.lt.from(i + 1)
		if !f.isMarkup(i, end, next) {
			i = next // a decoded "&lt;", not markup: look further on
			continue
		}
		b.WriteString(s[done:i])
		b.WriteString(flatToken(s[i+1:end], handle))
		done = end + 1
		i = f.lt.from(end + 1)
	}
	b.WriteString(s[done:])
	return b.String()
}

// flattener holds Flatten's forward-only searches.
type flattener struct {
	s                           string
	gt, lt, bar, space, newline nextIndex
	scheme                      nextString
}

// isMarkup reports whether s[i+1:end], between a "<" at i and the first
// ">" after it, is Slack markup; next is the first "<" after i.
func (f *flattener) isMarkup(i, end, next int) bool {
	tok := f.s[i+1 : end]
	if tok == "" {
		return false
	}
	within := func(k int) bool { return k >= 0 && k < end }
	if (within(f.space.from(i+1)) || within(f.newline.from(i+1)) || within(next)) && !within(f.bar.from(i+1)) {
		return false
	}
	if k := f.scheme.from(i + 1); k >= 0 && k+len("://") <= end {
		return true
	}
	return strings.HasPrefix(tok, "@") || strings.HasPrefix(tok, "#") || strings.HasPrefix(tok, "!") ||
		strings.HasPrefix(tok, "mailto:")
}

// nextString is [nextIndex] for a string.
type nextString struct {
	s, sub string
	at     int // last answer, -1 when none is left, -2 before the first call
}

func (n *nextString) from(pos int) int {
	if n.at == -1 || n.at >= pos {
		return n.at
	}
	if k := strings.Index(n.s[pos:], n.sub); k >= 0 {
		n.at = pos + k
	} else {
		n.at = -1
	}
	return n.at
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

// Emoji turns the emoji shortcodes in decoded text into emoji, as the
// documents show them, and changes nothing else: it is for text that is
// not Markdown (a ticket's title, a {noformat} block). Code is found as
// the parser finds it, and a shortcode in code stays as typed.
func Emoji(decoded string) string {
	if strings.IndexByte(decoded, ':') < 0 {
		return decoded
	}
	var b strings.Builder
	b.Grow(len(decoded))
	pos := 0
	for {
		open := strings.Index(decoded[pos:], "```")
		closing := -1
		if open >= 0 {
			open += pos
			closing = strings.Index(decoded[open+3:], "```")
		}
		if closing < 0 {
			emojiOutsideSpans(&b, decoded[pos:])
			return b.String()
		}
		end := open + 3 + closing + 3
		for end < len(decoded) && decoded[end] == '`' {
			end++
		}
		emojiOutsideSpans(&b, decoded[pos:open])
		b.WriteString(decoded[open:end])
		pos = end
	}
}

// emojiOutsideSpans writes s, which holds no code block, with the
// shortcodes outside its one-backtick code spans (on one line) replaced.
func emojiOutsideSpans(b *strings.Builder, s string) {
	start := 0 // s[start:i] is text not yet written
	for i := 0; i < len(s); {
		switch s[i] {
		case '\n':
			b.WriteString(emoji.Replace(s[start : i+1]))
			i++
			start = i
			continue
		case '`':
		default:
			i++
			continue
		}
		run := 1
		for i+run < len(s) && s[i+run] == '`' {
			run++
		}
		end := -1
		if run == 1 {
			end = strings.IndexAny(s[i+1:], "`\n")
		}
		if end < 0 || s[i+1+end] != '`' {
			i += run
			continue
		}
		end += i + 1
		b.WriteString(emoji.Replace(s[start:i]))
		b.WriteString(s[i : end+1])
		i, start = end+1, end+1
	}
	b.WriteString(emoji.Replace(s[start:]))
}
