package jira

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/wrapup/wrapup/archive/mrkdwn"
	"github.com/wrapup/wrapup/timeline"
)

// MaxSummary is Jira's limit on a summary, in characters.
const MaxSummary = 255

// maxText bounds the item's text in a description, well below Jira's
// 32767-character field limit once escaping and the frame are added.
const maxText = 24000

// Summary returns the item's summary as Jira takes it: one line, control
// characters gone, emoji shortcodes as emoji, at most MaxSummary
// characters. A summary is plain text in Jira, never rendered as markup,
// so nothing else needs escaping.
func Summary(it timeline.ActionItem) string {
	s := it.Summary
	if strings.TrimSpace(s) == "" {
		s = it.Text
	}
	s = mrkdwn.Emoji(s)
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r < ' ' || r == 0x7f || r == '\u2028' || r == '\u2029' }), " ")
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		s = "Action item " + it.Key
	}
	return truncate(s, MaxSummary)
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// Description returns the description in wiki markup. The item's
// text goes in a {noformat} block, where nothing is markup (its emoji
// shortcodes are emoji: Jira would show the codes); the short
// fields are escaped character by character. The only links are the ones
// made here: to the Slack message and to the postmortem.
func Description(it timeline.ActionItem, channel, postmortemURL, note string) string {
	var b strings.Builder
	text := it.Text
	if strings.TrimSpace(text) == "" {
		text = it.Summary
	}
	b.WriteString("Action item")
	if channel != "" {
		b.WriteString(" from incident channel #" + Escape(channel))
	}
	if it.By != "" {
		b.WriteString(", written by " + Escape(it.By))
	}
	if it.Assignee != "" {
		b.WriteString(", for " + Escape(it.Assignee))
	}
	b.WriteString(":\n")
	b.WriteString(Noformat(truncate(mrkdwn.Emoji(text), maxText)))
	b.WriteString("\n")
	if it.Permalink != nil && *it.Permalink != "" {
		b.WriteString("\nSource: [Slack message|" + safeURL(*it.Permalink) + "]")
	}
	if postmortemURL != "" {
		b.WriteString("\nPostmortem: [postmortem|" + safeURL(postmortemURL) + "]")
	}
	if note != "" {
		b.WriteString("\n\n" + Escape(note))
	}
	fmt.Fprintf(&b, "\n\n_Filed by wrapup; key_ {{%s%s}}", LabelPrefix, Escape(it.Key))
	return b.String()
}

// noformatBreak goes inside any "{noformat}" of user text, which would
// otherwise end the block: a zero-width space that shows nothing.
const noformatBreak = "\u200b"

// Noformat puts s in a {noformat} block, where Jira renders everything
// literally. The one sequence that could end the block early is broken
// with an invisible zero-width space; [Unnoformat] undoes it.
func Noformat(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	var b strings.Builder
	// Match on the original bytes: strings.ToLower can change a string's
	// length (Ⱥ is 2 bytes, ⱥ is 3), so an index into a lowered copy
	// could cut s in the wrong place.
	for {
		i := indexFold(s, "{noformat")
		if i < 0 {
			break
		}
		b.WriteString(s[:i+1] + noformatBreak)
		s = s[i+1:]
	}
	b.WriteString(s)
	return "{noformat}\n" + b.String() + "\n{noformat}"
}

// indexFold is strings.Index ignoring ASCII case, for an ASCII needle.
func indexFold(s, needle string) int {
	for i := 0; i+len(needle) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(needle)], needle) {
			return i
		}
	}
	return -1
}

// Unnoformat returns the text of the first {noformat} block of a
// description, as a reader sees it.
func Unnoformat(desc string) (string, bool) {
	_, rest, ok := strings.Cut(desc, "{noformat}\n")
	if !ok {
		return "", false
	}
	body, _, ok := strings.Cut(rest, "\n{noformat}")
	if !ok {
		return "", false
	}
	return strings.ReplaceAll(body, "{"+noformatBreak, "{"), true
}

// wikiSpecial are the characters that start or end wiki markup.
const wikiSpecial = `\*_-+^~?{}[]|!#@%&<>:;()"'` + "`"

// Escape escapes every character of s that could be wiki markup, and
// flattens newlines, for short inline text such as a name.
func Escape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteByte(' ')
		case r < ' ' || r == 0x7f:
		case strings.ContainsRune(wikiSpecial, r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
