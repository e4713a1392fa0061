package render

import (
	"bytes"

	"github.com/wrapup/wrapup/timeline"
)

// timelineJSON is timeline.json with the same redaction as the documents:
// every string that came from the channel (text, names, handles, roles,
// statuses) is redacted in the timeline's copy; the archive keeps it raw.
func (b *builder) timelineJSON() ([]byte, error) {
	counted := b.redacted
	defer func() { b.redacted = counted }() // the documents already counted these
	c := *b.tl
	in := &c.Incident
	for _, s := range []*string{&in.Channel, &in.Title, &in.Severity, &in.Status, &in.Commander, &in.InitialSeverity, &in.PeakSeverity} {
		*s = b.redact(*s)
	}
	c.Roles = append([]timeline.Role(nil), c.Roles...)
	for i := range c.Roles {
		r := &c.Roles[i]
		r.Role, r.User = b.redact(r.Role), b.redact(r.User)
	}
	c.Events = append([]timeline.Event(nil), c.Events...)
	for i := range c.Events {
		ev := &c.Events[i]
		summary := b.redact(ev.Summary)
		if full, ok := b.fullText[ev.Summary]; ok && ev.Kind == timeline.KindActionItem {
			summary = b.uncut(ev.Summary, full)
		}
		ev.Summary = summary
		for _, s := range []*string{&ev.Status, &ev.Severity, &ev.By, &ev.Role, &ev.User, &ev.Title, &ev.Team, &ev.URL} {
			*s = b.redact(*s)
		}
	}
	c.ActionItems = append([]timeline.ActionItem(nil), c.ActionItems...)
	for i := range c.ActionItems {
		a := &c.ActionItems[i]
		a.Summary, a.Text = b.uncut(a.Summary, a.Text), b.redact(a.Text)
		a.Assignee, a.By = b.redact(a.Assignee), b.redact(a.By)
	}
	c.Participants = append([]timeline.Participant(nil), c.Participants...)
	for i := range c.Participants {
		c.Participants[i].User = b.redact(c.Participants[i].User)
	}
	c.Warnings = append([]string(nil), c.Warnings...)
	for i := range c.Warnings {
		c.Warnings[i] = b.redact(c.Warnings[i])
	}
	var buf bytes.Buffer
	if err := timeline.Encode(&buf, &c); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
