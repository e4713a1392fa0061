package pipeline

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/wrapup/wrapup/timeline"
)

// Summary is what the wrap-up message says.
type Summary struct {
	Title    string
	Severity string
	Status   string
	Duration time.Duration // declared to resolved; 0 when unknown

	Postmortem  string // a URL under output.link_base, or the path
	PullRequest string // the postmortem's pull request (publish.github)
	Channel     string // the incident channel's ID, named in announcements
	Tickets     []timeline.Ticket
	Failed      int // action items that could not be filed
	Found       int // action items found in the channel, filed or not

	// Final is set on the last update, when the run has done everything
	// but archiving; Archiving says the channel is about to be archived.
	Final, Archiving bool
}

// MaxText is the longest text the wrap-up message may have: chat.update
// answers msg_too_long past 4,000 characters. It is counted in bytes,
// which is never fewer than characters.
const MaxText = 4000

// maxTitle bounds the title in the message, in bytes, escaped.
const maxTitle = 300

// Text renders the wrap-up message in Slack mrkdwn. Text from the channel
// (the title above all) is escaped so that it cannot mention @channel or
// forge a link. Emoji shortcodes stay shortcodes, unlike in the documents
// and tickets: Slack renders them itself, a workspace's custom emoji
// included (which no Unicode table knows), and stores a Unicode emoji
// posted in text as its shortcode anyway. However many tickets there are, the text stays within
// MaxText: the first tickets are listed, then how many more.
func (s Summary) Text() string {
	title := s.Title
	if title == "" {
		title = "this incident"
	}
	title = cutEscaped(title, maxTitle)
	head, tail := s.parts(title)
	if head == "" {
		return tail
	}
	return head + ticketList(s.Tickets, MaxText-len(head)-len(tail)) + tail
}

// parts renders the message around its ticket list: the list goes between
// head and tail; head is "" when the message has no list.
func (s Summary) parts(title string) (head, tail string) {
	var b strings.Builder
	if !s.Final {
		fmt.Fprintf(&b, ":hourglass_flowing_sand: *wrapup is closing out %s*: exporting the channel, filing the action items and writing the postmortem. This message will be updated.", title)
		if len(s.Tickets) > 0 {
			return b.String() + "\nTickets so far: ", ""
		}
		return "", b.String()
	}
	fmt.Fprintf(&b, ":memo: *Wrap-up: %s*", title)
	var facts []string
	if s.Severity != "" {
		facts = append(facts, escape(s.Severity))
	}
	if s.Status != "" {
		facts = append(facts, escape(s.Status))
	}
	if s.Duration > 0 {
		facts = append(facts, "lasted "+Human(s.Duration))
	}
	if len(facts) > 0 {
		b.WriteString(" (" + strings.Join(facts, ", ") + ")")
	}
	if s.Channel != "" {
		b.WriteString("\nChannel: <#" + escapeURL(s.Channel) + ">")
	}
	if s.Postmortem != "" {
		b.WriteString("\nPostmortem draft: " + link(s.Postmortem))
	}
	if s.PullRequest != "" {
		b.WriteString("\nReview it in the pull request: " + link(s.PullRequest))
	}
	if len(s.Tickets) > 0 {
		fmt.Fprintf(&b, "\nAction items filed (%d): ", len(s.Tickets))
		head = b.String()
		b.Reset()
	}
	switch {
	case len(s.Tickets) > 0:
	case s.Found > 0:
		fmt.Fprintf(&b, "\nAction items found (%d): listed in the postmortem, not filed as tickets.", s.Found)
	default:
		b.WriteString("\nNo action items were found in the channel.")
	}
	if s.Failed > 0 {
		fmt.Fprintf(&b, "\n:warning: %d action item(s) could not be filed; the next run will retry.", s.Failed)
	}
	if s.Archiving {
		b.WriteString("\nThe channel's record is exported and verified; the channel is archived next.")
	}
	return head, b.String()
}

// ticketList lists the tickets, sorted by ID, in at most budget bytes: as
// many as fit, then "and N more: see the postmortem".
func ticketList(ts []timeline.Ticket, budget int) string {
	sorted := slices.Clone(ts)
	slices.SortFunc(sorted, func(a, b timeline.Ticket) int { return strings.Compare(a.ID, b.ID) })
	var b strings.Builder
	for i, t := range sorted {
		part := escape(t.ID)
		if t.URL != "" {
			part = "<" + escapeURL(t.URL) + "|" + escape(t.ID) + ">"
		}
		if i > 0 {
			part = ", " + part
		}
		rest := len(sorted) - i - 1
		// Room for this one, and for the "and N more" that may follow.
		if b.Len()+len(part)+len(more(rest)) > budget {
			b.WriteString(more(len(sorted) - i))
			return b.String()
		}
		b.WriteString(part)
	}
	return b.String()
}

func more(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" and %d more: see the postmortem", n)
}

// cutEscaped escapes s for mrkdwn and cuts it to at most n bytes, at a
// character boundary and never inside an entity, with an ellipsis.
func cutEscaped(s string, n int) string {
	e := escape(s)
	if len(e) <= n {
		return e
	}
	runes := []rune(s)
	runes = runes[:min(len(runes), n)] // an escaped rune takes at least a byte
	for len(runes) > 0 {
		runes = runes[:len(runes)-1]
		if c := escape(string(runes)) + "…"; len(c) <= n {
			return c
		}
	}
	return "…"
}

func link(target string) string {
	if strings.HasPrefix(target, "http://") || strings.HasPrefix(target, "https://") {
		return "<" + escapeURL(target) + ">"
	}
	return "`" + strings.ReplaceAll(target, "`", "'") + "`"
}

// escape makes text literal in Slack mrkdwn: Slack reads <…> as mentions
// and links and &…; as entities.
func escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

func escapeURL(u string) string {
	return strings.NewReplacer("&", "&amp;", "<", "%3C", ">", "%3E", "|", "%7C", " ", "%20").Replace(u)
}

// Human formats a duration as people say it in a message: "1h 25m",
// "2h 0m", "45m", "30s", to the minute once it is a minute long. Documents
// use render.Duration instead, which keeps the seconds under a day and
// drops zero units ("1h 7m 49s", "2h"); each is what its own tests and
// outputs check, so they stay two functions.
func Human(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	switch {
	case h >= 24:
		return fmt.Sprintf("%dd %dh", h/24, h%24)
	case h > 0:
		return fmt.Sprintf("%dh %dm", h, m)
	case m > 0:
		return fmt.Sprintf("%dm", m)
	}
	return fmt.Sprintf("%ds", s)
}
