package timeline

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/mrkdwn"
)

// event starts an event for message m.
func (b *builder) event(m *archive.Message, kind string) Event {
	ev := Event{At: secondOf(m.TS), Kind: kind, By: b.poster(m, b.ppl.isBotMessage(m)), TS: m.TS,
		Permalink: Permalink(b.rs.workspaceURL, b.arc.Channel.ID, m.TS, m.ThreadTS), Edited: m.Edited != nil}
	if m.IsReply() {
		ev.ThreadTS = m.ThreadTS
	}
	return ev
}

// plain is s as a reader sees it, with handles for user mentions.
func (b *builder) plain(s string) string { return mrkdwn.Flatten(s, b.ppl.handle) }

// apply turns a rule's match into an event and moves the incident's state.
func (b *builder) apply(m *archive.Message, r *rule, values map[string]string, text string) {
	ev := b.event(m, r.kind)
	ev.Rule = r.name
	if s := values[GroupStatus]; s != "" {
		var ok bool
		ev.Status, ok = r.mapStatus(b.rs.statuses, s)
		if !ok {
			ev.UnmappedStatus = true
			b.warn("message %s (rule %s): status %q is not in timeline.statuses; kept as written", m.TS, r.name, ev.Status)
		}
	}
	ev.Severity = NormalizeSeverity(values[GroupSeverity])
	if u := values[GroupUser]; u != "" {
		ev.User = b.ppl.resolve(u)
	}
	ev.Role = normalizeRole(values[GroupRole])
	ev.Title = strings.TrimSpace(strings.Trim(b.plain(values[GroupTitle]), "*_"))
	ev.Team = b.plain(values[GroupTeam])
	ev.URL = linkTarget(values[GroupURL])
	line := firstNonEmpty(values[lineKey], firstLine(text))
	if _, topic, ok := strings.Cut(line, "set the channel topic: "); ok {
		line = topic
	}
	if r.kind == KindDeclared && values[GroupTitle] != "" {
		line = values[GroupTitle]
	}
	ev.Summary = b.plain(firstNonEmpty(values[GroupSummary], line))

	demoted := ""
	if r.kind == KindDeclared {
		if b.declared {
			demoted = "second declaration: kept as a note"
			b.warn("message %s (rule %s): a second declaration; the first wins and this one is a note", m.TS, r.name)
			ev.Kind, ev.Summary = KindNote, "Second declaration: "+ev.Summary
			ev.Status, ev.Severity = "", ""
		} else {
			b.declared = true
			if ev.Status == "" && b.curStatus == "" {
				ev.Status = StatusInvestigating
			}
			if ev.User != "" {
				ev.Role = "commander"
			}
		}
	}
	b.explain(m, r, text, demoted)
	b.add(ev)
}

// add appends ev and applies its status, severity and role to the state.
func (b *builder) add(ev Event) {
	if ev.Status != "" {
		b.curStatus = ev.Status
	}
	if ev.Severity != "" {
		b.curSeverity = ev.Severity
	}
	if ev.Role != "" && ev.User != "" && (ev.Kind == KindRole || ev.Kind == KindDeclared) {
		b.holders[ev.Role] = ev.User
		b.tl.Roles = append(b.tl.Roles, Role{Role: ev.Role, User: ev.User, At: ev.At})
	}
	b.tl.Events = append(b.tl.Events, ev)
}

func (b *builder) explain(m *archive.Message, r *rule, text, demoted string) {
	if b.opts.Explain {
		b.tl.Explain.Matches = append(b.tl.Explain.Matches,
			Match{TS: m.TS, Rule: r.name, Preset: r.preset, Kind: r.kind, Text: firstLine(text), Demoted: demoted})
	}
}

// linkTarget is the URL of <url|label>, <url> or a bare URL.
func linkTarget(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "<") && strings.HasSuffix(s, ">") {
		s, _, _ = strings.Cut(s[1:len(s)-1], "|")
	}
	return s
}

// topic is a channel_topic message no rule claimed.
func (b *builder) topic(m *archive.Message, text string) {
	ev := b.event(m, KindTopic)
	topic := text
	if _, after, ok := strings.Cut(text, "set the channel topic: "); ok {
		topic = after
	}
	ev.Summary = b.plain(strings.TrimSpace(topic))
	b.add(ev)
}

// keyMoment is a message someone marked with a key-moment reaction.
func (b *builder) keyMoment(m *archive.Message, text string) {
	ev := b.event(m, KindNote)
	ev.Summary, ev.KeyMoment = "Key moment: "+b.plain(firstLine(text)), true
	b.add(ev)
}

// pinItem is a pinned_item notice: an event pointing at the pinned message.
func (b *builder) pinItem(m *archive.Message) {
	ev := b.event(m, KindPin)
	ev.PinnedTS = pinnedTS(m)
	if ev.PinnedTS == 0 {
		ev.PinnedTS = b.pinAt(m)
	}
	b.describePin(&ev, m.User)
	b.add(ev)
}

// pinAt finds the channel pin a notice without item or attachment reports:
// the one the same person made within a minute of the notice. Without it,
// the notice and the channel's pin record would be two events.
func (b *builder) pinAt(m *archive.Message) archive.TS {
	at := m.TS.Time().Unix()
	for _, p := range b.arc.Channel.Pins {
		if d := int64(p.Created) - at; p.User == m.User && d >= -60 && d <= 60 {
			return p.TS
		}
	}
	return 0
}

// channelPins adds a pin event for each of the channel's pins that no
// pinned_item notice already reported.
func (b *builder) channelPins() {
	for _, p := range b.arc.Channel.Pins {
		if b.pinned[p.TS] || p.TS == 0 {
			continue
		}
		target := b.lookup(p.TS)
		if target == nil {
			b.warn("pin %s: the pinned message is not in the archive", p.TS)
			continue
		}
		if target.Metadata != nil && target.Metadata.EventType == LedgerEventType {
			continue
		}
		at := secondOf(target.TS)
		if p.Created > 0 {
			at = archive.TS(int64(p.Created) * 1e6).Time()
		}
		ev := Event{At: at, Kind: KindPin, TS: target.TS, PinnedTS: target.TS, By: b.ppl.handle(p.User),
			Permalink: Permalink(b.rs.workspaceURL, b.arc.Channel.ID, target.TS, target.ThreadTS)}
		if p.User == "" {
			ev.By = ""
		}
		if target.IsReply() {
			ev.ThreadTS = target.ThreadTS
		}
		b.describePin(&ev, p.User)
		b.add(ev)
	}
}

// describePin fills a pin event's summary from the pinned message and marks
// a bot pinning its own message.
func (b *builder) describePin(ev *Event, pinner string) {
	target := b.lookup(ev.PinnedTS)
	if target == nil {
		ev.Summary = "Pinned a message"
		return
	}
	b.pinned[target.TS] = true
	ev.Summary = "Pinned: " + b.plain(firstLine(matchText(target, b.ppl.isBotMessage(target))))
	if u, ok := b.ppl.user(pinner); ok && u.IsBot && b.ppl.isBotMessage(target) &&
		(target.User == pinner || target.BotID != "" && target.BotID == botIDOf(u)) {
		ev.BotPin = true
	}
}

// botIDOf reads a bot user's bot_id from its raw profile, when it has one.
func botIDOf(u *archive.User) string {
	var raw struct {
		Profile struct {
			BotID string `json:"bot_id"`
		} `json:"profile"`
	}
	if len(u.Raw) == 0 || json.Unmarshal(u.Raw, &raw) != nil {
		return ""
	}
	return raw.Profile.BotID
}

// pinnedTS reads the pinned message's ts from a pinned_item notice: Slack
// puts it in item.ts, or in its one attachment's ts.
func pinnedTS(m *archive.Message) archive.TS {
	var raw struct {
		Item struct {
			TS archive.TS `json:"ts"`
		} `json:"item"`
		Attachments []struct {
			TS archive.TS `json:"ts"`
		} `json:"attachments"`
	}
	if len(m.Raw) == 0 || json.Unmarshal(m.Raw, &raw) != nil {
		return 0
	}
	if raw.Item.TS != 0 {
		return raw.Item.TS
	}
	for _, a := range raw.Attachments {
		if a.TS != 0 {
			return a.TS
		}
	}
	return 0
}

// secondOf is the time of ts to the second: timeline.json's times read like
// DESIGN's, and the exact time stays in the event's ts.
func secondOf(ts archive.TS) time.Time { return ts.Time().Truncate(time.Second) }
