package timeline

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/wrapup/wrapup/archive"
)

// maxSummary bounds an action item's one-line summary, in runes; trackers
// take at most 255 characters.
const maxSummary = 200

// itemSource is one action item as found, before it becomes an ActionItem.
type itemSource struct {
	text string // mrkdwn, markup kept
	user string // from a rule's user group
}

// ItemKey is the stable key of the item at position pos of the message ts
// in the channel: the first 12 hex digits of a SHA-256.
func ItemKey(channelID string, ts archive.TS, pos int) string {
	sum := sha256.Sum256([]byte(channelID + "\x00" + ts.String() + "\x00" + strconv.Itoa(pos)))
	return hex.EncodeToString(sum[:])[:12]
}

// actionItems finds m's action items: the one a rule matched, then each
// marker line, and the whole message when it carries an action reaction and
// held no other item. Positions count in that order.
func (b *builder) actionItems(m *archive.Message, text string, ruleItem *itemSource) {
	var found []itemSource
	if ruleItem != nil {
		found = append(found, *ruleItem)
	}
	for _, t := range b.rs.parseMarkers(text) {
		found = append(found, itemSource{text: t})
	}
	if len(found) == 0 && b.hasAny(m, b.rs.actionReactions) {
		found = append(found, itemSource{text: strings.TrimSpace(text)})
	}
	root := m.TS
	if m.IsReply() {
		root = m.ThreadTS
	}
	for pos, src := range found {
		full := strings.TrimSpace(b.plain(src.text))
		assignee := ""
		if src.user != "" {
			assignee = b.ppl.resolve(src.user)
		} else {
			assignee = b.ppl.mentioned(src.text)
			// "AI: add an alert @dave": the mention names the owner; the
			// ticket's title is the task.
			full = trimOwner(full, assignee)
		}
		summary := oneLine(full)
		if summary == "" {
			continue
		}
		norm := strings.ToLower(strings.Join(strings.Fields(full), " "))
		if b.items[root] == nil {
			b.items[root] = map[string]bool{}
		}
		if b.items[root][norm] {
			continue // the same item said twice in one thread is one item
		}
		b.items[root][norm] = true
		it := ActionItem{
			Key:       ItemKey(b.arc.Channel.ID, m.TS, pos),
			Summary:   summary,
			Assignee:  assignee,
			By:        b.poster(m, b.ppl.isBotMessage(m)),
			SourceTS:  m.TS,
			Permalink: Permalink(b.rs.workspaceURL, b.arc.Channel.ID, m.TS, m.ThreadTS),
		}
		if full != summary {
			it.Text = full
		}
		if assignee != "" {
			if u, ok := b.ppl.byHandle(assignee); ok {
				it.AssigneeEmail = u.Email()
			}
		}
		b.tl.ActionItems = append(b.tl.ActionItems, it)
		ev := b.event(m, KindActionItem)
		ev.Summary, ev.User = summary, assignee
		b.add(ev)
	}
}

// trimOwner drops a trailing mention of the owner from an item's text:
// "… @dave", "… (@dave)", "… - @dave", "… owner @dave".
func trimOwner(s, owner string) string {
	if owner == "" {
		return s
	}
	t := strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(s, ")"), "."))
	cut, ok := strings.CutSuffix(t, "@"+owner)
	if !ok {
		return s
	}
	cut = strings.TrimSpace(cut)
	for _, sep := range []string{"(", "owner:", "owner", "—", "-", "–", ":", ","} {
		cut = strings.TrimSpace(strings.TrimSuffix(cut, sep))
	}
	if cut == "" {
		return s
	}
	return cut
}

// oneLine is the first line of s, cut to maxSummary runes.
func oneLine(s string) string {
	s = firstLine(s)
	if utf8.RuneCountInString(s) <= maxSummary {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:maxSummary-1])) + "…"
}

// ParseMarkers returns the action items of text: the rest of every line that
// starts with one of markers, compared without case. A line may open with
// bullets, numbering, quote marks and bold or italic markup ("• *AI:* fix
// it"), and the markup may wrap the marker's word or the whole marker.
func ParseMarkers(text string, markers []string) []string {
	var items []string
	for line := range strings.Lines(text) {
		rest := strings.TrimLeftFunc(line, isDecoration)
		for _, mk := range markers {
			after, ok := cutMarker(rest, mk)
			if !ok {
				continue
			}
			if item := strings.TrimSpace(strings.TrimLeft(after, "*_~ \t")); item != "" {
				items = append(items, strings.TrimRight(item, "*_~ \t"))
			}
			break
		}
	}
	return items
}

// isDecoration reports whether r may precede a marker on its line.
func isDecoration(r rune) bool {
	switch r {
	case '•', '◦', '▪', '‣', '-', '–', '*', '_', '~', '>', '·':
		return true
	}
	return unicode.IsSpace(r) || unicode.IsDigit(r) || r == '.' || r == ')'
}

// cutMarker matches marker at the start of s without case, skipping the
// markup characters * and _ inside s, and returns what follows.
func cutMarker(s, marker string) (string, bool) {
	i := 0
	for _, want := range marker {
		for i < len(s) && (s[i] == '*' || s[i] == '_') {
			i++
		}
		if i >= len(s) {
			return "", false
		}
		got, size := utf8.DecodeRuneInString(s[i:])
		if got != want && unicode.SimpleFold(got) != want && !strings.EqualFold(string(got), string(want)) {
			return "", false
		}
		i += size
	}
	return s[i:], true
}

// parseMarkers is ParseMarkers with the ruleset's markers, skipping texts
// that cannot hold one: most messages lack the byte every marker needs.
func (rs *Ruleset) parseMarkers(text string) []string {
	if rs.markerByte != 0 && strings.IndexByte(text, rs.markerByte) < 0 {
		return nil
	}
	return ParseMarkers(text, rs.markers)
}
