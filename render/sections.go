package render

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/timeline"
)

// keyMomentPrefix starts a key-moment note's summary in timeline.json; the
// document marks the row instead.
const keyMomentPrefix = "Key moment: "

// metrics lists the key metrics, each with its formula.
func (b *builder) metrics() []Metric {
	m, om := b.tl.Metrics, b.tl.Omitted
	dur := func(p *int64) string {
		if p == nil {
			return "—"
		}
		return Duration(*p)
	}
	num := func(p *int64) string {
		if p == nil {
			return "—"
		}
		return fmt.Sprint(*p)
	}
	cadence := "timeline.update_cadence"
	if b.opts.Cadence > 0 {
		cadence = shortDuration(b.opts.Cadence)
	}
	rows := []Metric{
		{"Time to mitigate", dur(m.TimeToMitigate), "declared → first status monitoring", om["time_to_mitigate_s"]},
		{"Time to resolve", dur(m.TimeToResolve), "declared → status resolved (the last, if reopened)", om["time_to_resolve_s"]},
		{"Status updates", num(m.StatusUpdates), "status events from declaration through resolution", om["status_updates"]},
		{"Longest update gap", dur(m.LongestUpdateGap), "longest stretch between declaration, status updates and resolution", om["longest_update_gap_s"]},
		{"Late updates", num(m.LateUpdates), "stretches longer than " + cadence, om["late_updates"]},
		{"Responders", fmt.Sprint(m.Responders), "distinct people (not bots) who posted", ""},
		{"Messages", fmt.Sprint(m.Messages), "messages in the channel and its threads, joins and leaves excluded", ""},
		{"Threads", fmt.Sprint(m.Threads), "messages with at least one reply", ""},
	}
	for i := range rows {
		rows[i].Formula = Text(rows[i].Formula)
		rows[i].Note = b.text(rows[i].Note)
	}
	return rows
}

// shortDuration is a config duration as people write it: "30m", "1h30m".
func shortDuration(d time.Duration) string {
	s := d.String()
	s = strings.TrimSuffix(s, "0s")
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	if s == "" {
		return "0s"
	}
	return s
}

// events are the timeline's rows.
func (b *builder) events() []Event {
	out := make([]Event, 0, len(b.tl.Events))
	for _, ev := range b.tl.Events {
		out = append(out, b.event(ev))
	}
	return out
}

func (b *builder) event(ev timeline.Event) Event {
	e := Event{At: b.time(ev.At), Actor: b.user(ev.By), Kind: ev.Kind, Permalink: b.permalink(ev.Permalink),
		Reply: ev.ThreadTS != 0}
	summary := ev.Summary
	var label []string
	switch ev.Kind {
	case timeline.KindDeclared:
		e.Change = true
		label = append(label, "declared")
		if ev.Title != "" {
			summary = ev.Title
		}
		if ev.User != "" {
			summary += " — commander @" + ev.User
		}
	case timeline.KindRole:
		label = append(label, "role: "+ev.Role)
		if ev.User != "" && !strings.Contains(summary, "@"+ev.User) {
			summary = "@" + ev.User + " is " + ev.Role
		}
	case timeline.KindEscalation:
		label = append(label, "escalation")
		if ev.Team != "" && !strings.Contains(summary, ev.Team) {
			summary = ev.Team + " — " + summary
		}
	case timeline.KindStatuspage:
		label = append(label, "status page")
	case timeline.KindActionItem:
		label = append(label, "action item")
	case timeline.KindPin:
		e.Pin, e.Marker = true, "📌"
		label = append(label, "pin")
	case timeline.KindNote:
		if ev.KeyMoment {
			e.Key, e.Marker = true, "⭐"
			summary = strings.TrimPrefix(summary, keyMomentPrefix)
			label = append(label, "key moment")
		} else {
			label = append(label, "note")
		}
	case timeline.KindStatus, timeline.KindSeverity:
	default:
		label = append(label, ev.Kind)
	}
	if ev.Status != "" && ev.Kind != timeline.KindDeclared {
		e.Change = true
		label = append(label, "status → "+ev.Status)
	}
	if ev.Severity != "" {
		if ev.Kind == timeline.KindDeclared {
			label[0] += " (" + ev.Severity + ")"
		} else {
			e.Change = true
			label = append(label, "severity → "+ev.Severity)
		}
	}
	if len(label) == 0 {
		label = append(label, ev.Kind)
	}
	e.Label = b.text(strings.Join(label, ", "))
	if full, ok := b.fullText[summary]; ok && ev.Kind == timeline.KindActionItem {
		e.Summary = inlineDecoded(b.uncut(summary, full))
	} else {
		e.Summary = b.summary(summary)
	}
	return e
}

// coordination says how the response was run: update cadence, roles,
// responders.
func (b *builder) coordination() Coordination {
	tl := b.tl
	c := Coordination{Updates: "—", LongestGap: "—", LateGaps: []Gap{}, Roles: []RoleCheck{}, Responders: []Responder{}}
	if b.opts.Cadence > 0 {
		c.Cadence = shortDuration(b.opts.Cadence)
	}
	if p := tl.Metrics.StatusUpdates; p != nil {
		c.Updates = fmt.Sprint(*p)
	}
	if p := tl.Metrics.LongestUpdateGap; p != nil {
		c.LongestGap = Duration(*p)
	}
	// The points of DESIGN's sequence: declaration, status events, resolution.
	if inc := tl.Incident; inc.DeclaredAt != nil {
		declared := *inc.DeclaredAt
		end := b.last
		if inc.ResolvedAt != nil && !inc.ResolvedAt.Before(declared) {
			end = *inc.ResolvedAt
		}
		points := []time.Time{declared}
		for _, ev := range tl.Events {
			if ev.Kind == timeline.KindStatus && !ev.At.Before(declared) && !ev.At.After(end) {
				points = append(points, ev.At)
			}
		}
		if inc.ResolvedAt != nil && !inc.ResolvedAt.Before(declared) {
			points = append(points, *inc.ResolvedAt)
		}
		for i := 1; i < len(points); i++ {
			if gap := points[i].Sub(points[i-1]); b.opts.Cadence > 0 && gap > b.opts.Cadence {
				c.LateGaps = append(c.LateGaps, Gap{From: b.time(points[i-1]), To: b.time(points[i]),
					Length: Duration(int64(gap / time.Second))})
			}
		}
	}
	// The roles every incident should have, then any other role given.
	holders := map[string]string{}
	var order []string
	for _, r := range tl.Roles {
		if _, seen := holders[r.Role]; !seen {
			order = append(order, r.Role)
		}
		holders[r.Role] = r.User
	}
	for _, want := range []string{"commander", "comms lead"} {
		if !slices.Contains(order, want) {
			order = append(order, want)
		}
	}
	slices.SortStableFunc(order, func(x, y string) int { return roleRank(x) - roleRank(y) })
	for _, r := range order {
		u := holders[r]
		c.Roles = append(c.Roles, RoleCheck{Role: b.text(r), User: b.user(u), Assigned: u != ""})
	}
	for _, p := range tl.Participants {
		name := b.user(p.User)
		if p.Bot {
			name = b.text(p.User)
		}
		c.Responders = append(c.Responders, Responder{User: name, Messages: p.Messages, Bot: p.Bot})
	}
	return c
}

// roleRank puts the commander first and the comms lead second.
func roleRank(r string) int {
	switch r {
	case "commander":
		return 0
	case "comms lead":
		return 1
	}
	return 2
}

func (b *builder) actionItems() []ActionItem {
	out := []ActionItem{}
	for _, a := range b.tl.ActionItems {
		it := ActionItem{Key: Text(a.Key), Summary: inlineDecoded(b.uncut(a.Summary, a.Text)), Assignee: b.user(a.Assignee),
			By: b.user(a.By), Permalink: b.permalink(a.Permalink)}
		if a.Ticket != nil {
			it.TicketID, it.TicketURL = b.text(a.Ticket.ID), SafeURL(a.Ticket.URL)
		}
		if a.Unassigned != "" && it.Assignee != "" {
			it.Assignee += ", " + b.text(a.Unassigned)
		}
		out = append(out, it)
	}
	return out
}

// appendix gathers pins, status-page updates, files and topic changes.
func (b *builder) appendix(events []Event) Appendix {
	ap := Appendix{Pins: []Message{}, StatusPage: []Event{}, Files: []File{}, Topics: []Message{}}
	seenPin := map[archive.TS]bool{}
	for i, ev := range b.tl.Events {
		switch ev.Kind {
		case timeline.KindPin:
			if seenPin[ev.PinnedTS] {
				continue
			}
			seenPin[ev.PinnedTS] = true
			msg := Message{At: b.time(ev.At), Author: b.user(ev.By), Permalink: b.permalink(ev.Permalink)}
			if m := b.lookup(ev.PinnedTS); m != nil {
				msg.At, msg.Author, msg.Text = b.time(m.TS.Time().Truncate(time.Second)), b.user(b.poster(m)), b.message(m)
				// The entry is the pinned message: link to it, not to the
				// "pinned a message" notice.
				if link := b.messageLink(m); link != "" {
					msg.Permalink = link
				}
			} else {
				msg.Text = b.summary(ev.Summary)
			}
			ap.Pins = append(ap.Pins, msg)
		case timeline.KindStatuspage:
			ap.StatusPage = append(ap.StatusPage, events[i])
		}
	}
	for _, m := range b.msgs.Appendix() {
		for _, f := range m.Files {
			name := f.Title
			if name == "" {
				name = f.Name
			}
			if name == "" {
				name = f.ID
			}
			file := File{Name: b.text(name), Type: b.text(f.Filetype), Author: b.user(b.poster(m)),
				At:        b.time(m.TS.Time().Truncate(time.Second)),
				Permalink: b.messageLink(m)}
			if f.Size > 0 {
				file.Size = byteSize(int64(f.Size))
			}
			ap.Files = append(ap.Files, file)
		}
		if m.Subtype == "channel_topic" || m.Subtype == "group_topic" {
			text := m.Text
			if _, after, ok := strings.Cut(text, "set the channel topic: "); ok {
				text = after
			}
			ap.Topics = append(ap.Topics, Message{At: b.time(m.TS.Time().Truncate(time.Second)), Author: b.user(b.poster(m)),
				Text:      b.message(&archive.Message{Text: text}),
				Permalink: b.messageLink(m)})
		}
	}
	return ap
}

// poster is the handle of whoever posted m, or its bot's name.
func (b *builder) poster(m *archive.Message) string {
	if m.User != "" {
		return b.arc.Handle(m.User)
	}
	if n := m.BotName(); n != "" {
		return n
	}
	return m.BotID
}

// byteSize is a file size for people: "812 B", "1.2 MB".
func byteSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "KMGTPE"[exp])
}
