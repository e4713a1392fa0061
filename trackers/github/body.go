package github

import (
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/wrapup/wrapup/archive/mrkdwn"
	"github.com/wrapup/wrapup/timeline"
)

// MaxTitle is GitHub's limit on an issue title, in characters.
const MaxTitle = 256

// maxText bounds the item's text in a body, below GitHub's 65536.
const maxText = 60000

// markerPrefix starts the first line of every body wrapup files.
const markerPrefix = "<!-- wrapup:"

// Title returns the item's summary as one line of at most MaxTitle
// characters, its emoji shortcodes as emoji.
func Title(it timeline.ActionItem) string {
	s := it.Summary
	if strings.TrimSpace(s) == "" {
		s = it.Text
	}
	s = mrkdwn.Emoji(s)
	s = strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)), " ")
	if s == "" {
		s = "Action item " + it.Key
	}
	s = BreakMentions(s)
	if utf8.RuneCountInString(s) > MaxTitle {
		s = string([]rune(s)[:MaxTitle-1]) + "…"
	}
	return s
}

// BreakMentions puts a zero-width space after every "@" that starts a
// login or team (@alice, @org/team), so that text copied from Slack can
// never notify anyone on GitHub: a backslash does not stop GitHub's
// mentions (github/markup#1168), and a code span or the zero-width space
// does. It reads the same.
func BreakMentions(s string) string {
	if !strings.Contains(s, "@") {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		b.WriteRune(r)
		if r != '@' {
			continue
		}
		if next, _ := utf8.DecodeRuneInString(s[i+1:]); next < utf8.RuneSelf && (next == '-' || next == '_' ||
			'a' <= next && next <= 'z' || 'A' <= next && next <= 'Z' || '0' <= next && next <= '9') {
			b.WriteString("\u200b")
		}
	}
	return b.String()
}

// Marker returns the hidden marker that carries an item's key.
func Marker(key string) string { return markerPrefix + key + " -->" }

// MarkerKey returns the key of a body's marker. Only the body's first
// line counts: user text comes later, so it can never forge one.
func MarkerKey(body string) (string, bool) {
	line, _, _ := strings.Cut(body, "\n")
	rest, ok := strings.CutPrefix(strings.TrimRight(line, "\r"), markerPrefix)
	if !ok {
		return "", false
	}
	key, ok := strings.CutSuffix(rest, " -->")
	return key, ok && keyOK(key)
}

// Body returns the issue body in GitHub Markdown. The item's text is in a
// fenced code block longer than any backtick run in it, so no Markdown or
// HTML in it is rendered and it cannot close the block; the short fields
// are escaped. The only links are the Slack message and the postmortem.
func Body(it timeline.ActionItem, channel, postmortemURL, note string) string {
	var b strings.Builder
	b.WriteString(Marker(it.Key) + "\n")
	b.WriteString("**Action item**")
	if channel != "" {
		b.WriteString(" from incident channel #" + Escape(channel))
	}
	if it.By != "" {
		b.WriteString(", written by " + Escape(it.By))
	}
	if it.Assignee != "" {
		b.WriteString(", for " + Escape(it.Assignee))
	}
	b.WriteString(":\n\n")
	text := it.Text
	if strings.TrimSpace(text) == "" {
		text = it.Summary
	}
	// In a code block GitHub shows shortcodes as typed: the emoji go in.
	text = mrkdwn.Emoji(text)
	if utf8.RuneCountInString(text) > maxText {
		text = string([]rune(text)[:maxText]) + "\n[truncated]"
	}
	b.WriteString(Fence(text))
	b.WriteString("\n\n")
	if it.Permalink != nil && *it.Permalink != "" {
		fmt.Fprintf(&b, "- Source: [Slack message](%s)\n", safeURL(*it.Permalink))
	}
	if postmortemURL != "" {
		fmt.Fprintf(&b, "- Postmortem: [postmortem](%s)\n", safeURL(postmortemURL))
	}
	if note != "" {
		b.WriteString("\n_" + Escape(note) + "_\n")
	}
	return b.String()
}

// Fence puts s in a fenced code block whose fence is longer than any run
// of backticks in s.
func Fence(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", max(3, longest+1))
	return fence + "text\n" + s + "\n" + fence
}

// Unfence returns the text of the first fenced block of a body.
func Unfence(body string) (string, bool) {
	for line := range strings.Lines(body) {
		if strings.HasPrefix(line, "```") {
			fence := strings.TrimSuffix(strings.TrimRight(line, "\n"), "text")
			_, rest, _ := strings.Cut(body, line)
			text, _, ok := strings.Cut(rest, "\n"+fence+"\n")
			if !ok {
				text, ok = strings.CutSuffix(rest, "\n"+fence)
			}
			return text, ok
		}
	}
	return "", false
}

// Escape backslash-escapes every ASCII punctuation character, which
// disarms Markdown and HTML alike, and flattens newlines.
func Escape(s string) string {
	var b strings.Builder
	for _, r := range BreakMentions(s) {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteByte(' ')
		case r < ' ' || r == 0x7f:
		case r < 0x80 && strings.ContainsRune("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// safeURL percent-encodes what could end a Markdown link destination.
func safeURL(u string) string {
	var b strings.Builder
	for _, r := range u {
		switch {
		case r <= ' ' || r == 0x7f || strings.ContainsRune("()<>[]\"'`\\", r):
			fmt.Fprintf(&b, "%%%02X", r)
		case r > 0x7f:
			b.WriteString(url.PathEscape(string(r)))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
