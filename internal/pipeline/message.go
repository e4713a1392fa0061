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

	Postmortem string // a URL under output.link_base, or the path
	Channel    string // the incident channel's ID, named in announcements
	Tickets    []timeline.Ticket
	Failed     int // action items that could not be filed
	Found      int // action items found in the channel, filed or not

	// Final is set on the last update, when the run has done everything
	// but archiving; Archiving says the channel is about to be archived.
	Final, Archiving bool
}

// Text renders the wrap-up message in Slack mrkdwn. Text from the channel
// (the title above all) is escaped so that it cannot mention @channel or
// forge a link.
func (s Summary) Text() string {
	var b strings.Builder
	title := s.Title
	if title == "" {
		title = "this incident"
	}
	if !s.Final {
		fmt.Fprintf(&b, ":hourglass_flowing_sand: *wrapup is closing out %s*: exporting the channel, filing the action items and writing the postmortem. This message will be updated.", escape(title))
		if len(s.Tickets) > 0 {
			fmt.Fprintf(&b, "\nTickets so far: %s", ticketList(s.Tickets))
		}
		return b.String()
	}
	fmt.Fprintf(&b, ":memo: *Wrap-up: %s*", escape(title))
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
	switch {
	case len(s.Tickets) > 0:
		fmt.Fprintf(&b, "\nAction items filed (%d): %s", len(s.Tickets), ticketList(s.Tickets))
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
	return b.String()
}

func ticketList(ts []timeline.Ticket) string {
	sorted := slices.Clone(ts)
	slices.SortFunc(sorted, func(a, b timeline.Ticket) int { return strings.Compare(a.ID, b.ID) })
	parts := make([]string, len(sorted))
	for i, t := range sorted {
		if t.URL != "" {
			parts[i] = "<" + escapeURL(t.URL) + "|" + escape(t.ID) + ">"
		} else {
			parts[i] = escape(t.ID)
		}
	}
	return strings.Join(parts, ", ")
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

// Human formats a duration as people say it: "1h 25m", "45m", "30s".
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
