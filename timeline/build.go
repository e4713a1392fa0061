package timeline

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/wrapup/wrapup/archive"
)

// LedgerEventType is the metadata event_type of wrapup's own wrap-up
// message, which stays in the archive but out of the timeline and metrics.
const LedgerEventType = "wrapup_ledger"

// Options tune a Build.
type Options struct {
	// Explain records every rule match and near miss in Timeline.Explain.
	// It costs an allocation per matched message, so it is off by default.
	Explain bool
}

// builder holds one Build's state while it walks the messages in time order.
type builder struct {
	arc  *archive.Archive // the channel and its users; its messages only through lookup
	rs   *Ruleset
	opts Options
	ppl  *people
	tl   *Timeline

	lookup   func(archive.TS) *archive.Message // a message by ts, for pins
	onceUsed []bool

	// The incident's state so far, for if_changed and demotions.
	declared    bool
	curStatus   string
	curSeverity string
	holders     map[string]string // role -> handle

	ruleBots   map[string]bool // bots that some rule matched or names
	candidates []NearMiss      // unmatched bot messages, filtered by ruleBots at the end
	items      map[archive.TS]map[string]bool
	pinned     map[archive.TS]bool // pinned messages that already have a pin event
	posts      map[string]*Participant
	first      archive.TS
	last       archive.TS
	added      archive.TS // the last message added, for the order
	// threads are the top-level messages counted as threads; unthreaded
	// those never counted, whatever their replies (joins and leaves, and
	// wrapup's own message): Replied goes by them.
	threads    map[archive.TS]bool
	unthreaded map[archive.TS]bool
}

// Build rebuilds the timeline of arc's incident with the compiled rules.
func Build(arc *archive.Archive, rs *Ruleset, opts Options) (*Timeline, error) {
	if arc == nil || rs == nil {
		return nil, errors.New("timeline: build needs an archive and a ruleset")
	}
	var byTS map[archive.TS]*archive.Message // built on the first pin lookup
	s := NewStream(arc, rs, opts, func(ts archive.TS) *archive.Message {
		if byTS == nil {
			byTS = map[archive.TS]*archive.Message{}
			for m := range arc.All() {
				byTS[m.TS] = m
			}
		}
		return byTS[ts]
	})
	msgs, ordered := inOrder(arc)
	if !ordered {
		s.b.warn("messages were not in timestamp order; they were sorted")
	}
	for _, m := range msgs {
		if err := s.Add(m, len(m.Replies) > 0); err != nil {
			return nil, err
		}
	}
	return s.Timeline(), nil
}

// A Stream builds a timeline from messages handed to it one at a time, in
// ts order, as Build does from an archive: for a reader that does not hold
// the channel's messages at once. Build is a Stream over the archive.
type Stream struct {
	b    *builder
	done bool
}

// NewStream starts a timeline of the channel of head with the compiled
// rules. head gives the channel, its pins and the users; its messages are
// not read. lookup finds a message by ts (a pinned one), or nil.
func NewStream(head *archive.Archive, rs *Ruleset, opts Options, lookup func(archive.TS) *archive.Message) *Stream {
	b := &builder{
		arc: head, rs: rs, opts: opts, ppl: newPeople(head), lookup: lookup,
		tl: &Timeline{Schema: Schema, Roles: []Role{}, Events: []Event{}, ActionItems: []ActionItem{},
			Participants: []Participant{}, Omitted: map[string]string{}},
		onceUsed: make([]bool, len(rs.rules)),
		holders:  map[string]string{},
		ruleBots: map[string]bool{},
		items:    map[archive.TS]map[string]bool{},
		pinned:   map[archive.TS]bool{},
		posts:    map[string]*Participant{},

		threads:    map[archive.TS]bool{},
		unthreaded: map[archive.TS]bool{},
	}
	b.tl.Incident.ChannelID, b.tl.Incident.Channel = head.Channel.ID, head.Channel.Name
	for _, r := range rs.rules {
		if r.bot != "" {
			b.ruleBots[strings.ToLower(r.bot)] = true
		}
	}
	return &Stream{b: b}
}

// Add hands over the channel's next message, a reply or not, in ts order.
// thread says m starts a thread whose replies are in the archive (its
// reply_count may say so too). wrapup's own wrap-up message is skipped.
func (s *Stream) Add(m *archive.Message, thread bool) error {
	if s.done {
		return errors.New("timeline: message added after the timeline was taken")
	}
	if m.TS < s.b.added {
		return fmt.Errorf("timeline: message %s added after %s: messages must come in ts order", m.TS, s.b.added)
	}
	s.b.added = m.TS
	if m.Metadata != nil && m.Metadata.EventType == LedgerEventType {
		s.b.unthread(m)
		return nil
	}
	s.b.message(m, thread)
	return nil
}

// Replied says that the top-level message root, added before, has
// replies in the channel, for a caller that hands a thread's parent over
// before it knows: the parent counts as a thread, once, as Add's thread
// would have counted it. root must be a message added as top-level, not
// a reply nor a parent the channel lacks.
func (s *Stream) Replied(root archive.TS) {
	b := s.b
	if b.threads[root] || b.unthreaded[root] {
		return
	}
	b.threads[root] = true
	b.tl.Metrics.Threads++
}

// unthread notes a top-level message that never counts as a thread.
func (b *builder) unthread(m *archive.Message) {
	if !m.IsReply() {
		b.unthreaded[m.TS] = true
	}
}

// Consulted lists, sorted, the users whose records decided something in
// the timeline so far: found by ID, by name or by handle. A Stream may be
// given more users than its channel references, before the channel's
// messages are read (users.json whole): its timeline is the one Build
// gives with only the referenced users if every consulted user is one of
// them. A name that leads to another user than it would among those, or
// to none, leads to a user that is not one of them.
func (s *Stream) Consulted() []string {
	ids := make([]string, 0, len(s.b.ppl.consulted))
	for id := range s.b.ppl.consulted {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// Timeline finishes the timeline: the channel's pins, the incident's
// phases and metrics. Nothing may be added after.
func (s *Stream) Timeline() *Timeline {
	if !s.done {
		s.done = true
		s.b.channelPins()
		s.b.finish()
	}
	return s.b.tl
}

// inOrder returns every message of arc, in ts order, and whether the
// archive already held them in order (top-level messages, and each
// thread's replies).
func inOrder(arc *archive.Archive) ([]*archive.Message, bool) {
	var msgs []*archive.Message
	var prevRoot archive.TS
	ordered := true
	for _, m := range arc.Messages {
		if m.TS < prevRoot {
			ordered = false
		}
		prevRoot = m.TS
		if !slices.IsSortedFunc(m.Replies, func(x, y *archive.Message) int { return cmp.Compare(x.TS, y.TS) }) {
			ordered = false
		}
	}
	for m := range arc.All() {
		msgs = append(msgs, m)
	}
	slices.SortStableFunc(msgs, func(x, y *archive.Message) int { return cmp.Compare(x.TS, y.TS) })
	return msgs, ordered
}

func (b *builder) warn(format string, args ...any) {
	b.tl.Warnings = append(b.tl.Warnings, fmt.Sprintf(format, args...))
}

// message turns one message into events and action items; thread says it
// starts a thread with replies.
func (b *builder) message(m *archive.Message, thread bool) {
	isBot := b.ppl.isBotMessage(m)
	b.count(m, isBot, thread)
	text := matchText(m, isBot)
	r, values, tried := b.match(m, isBot, text)
	var ruleItem *itemSource
	switch {
	case r != nil:
		b.ruleBots[strings.ToLower(b.poster(m, isBot))] = true
		if r.kind == KindActionItem {
			ruleItem = &itemSource{text: firstNonEmpty(values[GroupSummary], values[GroupTitle], text), user: values[GroupUser]}
			b.explain(m, r, text, "")
		} else {
			b.apply(m, r, values, text)
		}
	case m.Subtype == "channel_topic" || m.Subtype == "group_topic":
		b.topic(m, text)
	case m.Subtype == "pinned_item":
		b.pinItem(m)
	default:
		if b.opts.Explain && isBot && !m.IsJoinLeave() {
			b.candidates = append(b.candidates, NearMiss{TS: m.TS, Bot: b.poster(m, true), Text: firstLine(text), Tried: tried})
		}
		if b.hasAny(m, b.rs.reactions) {
			b.keyMoment(m, text)
		}
	}
	b.actionItems(m, text, ruleItem)
}

// count feeds the messages, threads, responders and participants metrics.
func (b *builder) count(m *archive.Message, isBot, thread bool) {
	if m.IsJoinLeave() {
		b.unthread(m)
		return
	}
	if b.first == 0 || m.TS < b.first {
		b.first = m.TS
	}
	b.last = max(b.last, m.TS)
	b.tl.Metrics.Messages++
	if !m.IsReply() && (thread || m.ReplyCount > 0) {
		b.threads[m.TS] = true
		b.tl.Metrics.Threads++
	}
	who := b.poster(m, isBot)
	if who == "" {
		return
	}
	// A bot is one participant however its messages name it: by its
	// user's handle on some ("incidentbot"), by its profile's name on
	// others ("IncidentBot"), with or without its bot ID.
	keys := []string{who}
	if isBot {
		keys = []string{"bot name " + strings.ToLower(who)}
		if m.BotID != "" {
			keys = append(keys, "bot id "+m.BotID)
		}
		if m.User != "" {
			keys = append(keys, "bot user "+m.User)
		}
	}
	var p *Participant
	for _, k := range keys {
		if p = b.posts[k]; p != nil {
			break
		}
	}
	if p == nil {
		p = &Participant{User: who, Bot: isBot}
		if !isBot {
			b.tl.Metrics.Responders++
		}
	}
	for _, k := range keys {
		b.posts[k] = p // every name it went by, for its next messages
	}
	p.Messages++
}

// poster is the handle of whoever posted m, or the bot's name.
func (b *builder) poster(m *archive.Message, isBot bool) string {
	if m.User != "" {
		return b.ppl.handle(m.User)
	}
	if isBot {
		if n := m.BotName(); n != "" {
			return n
		}
		return m.BotID
	}
	return ""
}

// match finds the first rule that matches m. tried lists the rules whose
// cheap filters passed but that did not match, for --explain.
func (b *builder) match(m *archive.Message, isBot bool, text string) (*rule, map[string]string, []string) {
	var tried []string
	for i, r := range b.rs.rules {
		if r.once && b.onceUsed[i] ||
			r.subtype != "" && m.Subtype != r.subtype ||
			r.from == "bot" && !isBot || r.from == "human" && isBot ||
			r.bot != "" && !b.isBot(m, r.bot) ||
			r.requireReaction != "" && !m.HasReaction(r.requireReaction) ||
			r.re != nil && !r.prefilter(text) {
			continue
		}
		if r.requireReaction != "" && !b.reactedBy(m, r.requireReaction, r.reactionBy) {
			tried = b.try(tried, r)
			continue
		}
		values := map[string]string{}
		if r.re != nil {
			loc := r.re.FindStringSubmatchIndex(text)
			if loc == nil {
				tried = b.try(tried, r)
				continue
			}
			values[lineKey] = lineAt(text, loc[0])
			for g, idx := range r.groups {
				if loc[2*idx] >= 0 {
					values[g] = strings.TrimSpace(text[loc[2*idx]:loc[2*idx+1]])
				}
			}
		}
		for g, v := range r.set {
			if values[g] == "" {
				values[g] = v
			}
		}
		if r.ifChanged && !b.changes(r, values) {
			tried = b.try(tried, r)
			continue
		}
		if r.once {
			b.onceUsed[i] = true
		}
		return r, values, tried
	}
	return nil, nil, tried
}

func (b *builder) try(tried []string, r *rule) []string {
	if b.opts.Explain {
		tried = append(tried, r.name)
	}
	return tried
}

// changes reports whether an if_changed rule's value differs from the
// current one. Before any status is set the incident is investigating.
func (b *builder) changes(r *rule, values map[string]string) bool {
	switch r.kind {
	case KindStatus:
		s, _ := r.mapStatus(b.rs.statuses, values[GroupStatus])
		cur := b.curStatus
		if cur == "" {
			cur = StatusInvestigating
		}
		return s != cur
	case KindSeverity:
		return NormalizeSeverity(values[GroupSeverity]) != b.curSeverity
	case KindRole:
		return b.ppl.resolve(values[GroupUser]) != b.holders[normalizeRole(values[GroupRole])]
	}
	return true
}

// isBot reports whether m was posted by the bot called name: its bot_id,
// username, bot_profile name, or the handle of its bot user.
func (b *builder) isBot(m *archive.Message, name string) bool {
	if strings.EqualFold(m.BotID, name) || strings.EqualFold(m.Username, name) ||
		m.BotProfile != nil && strings.EqualFold(m.BotProfile.Name, name) {
		return true
	}
	if u, ok := b.ppl.user(m.User); ok && u.IsBot {
		return strings.EqualFold(u.Name, name) || strings.EqualFold(u.FullName(), name)
	}
	return false
}

// reactedBy reports whether m carries the reaction, left by someone of the
// kind who ("bot", "human", "any"). An export that lists no reactors
// satisfies any kind: the count is all it has.
func (b *builder) reactedBy(m *archive.Message, name, who string) bool {
	for _, r := range m.Reactions {
		if r.Name != name {
			continue
		}
		if who == "any" || len(r.Users) == 0 {
			return true
		}
		for _, id := range r.Users {
			u, ok := b.ppl.user(id)
			if isBot := ok && u.IsBot; isBot == (who == "bot") {
				return true
			}
		}
	}
	return false
}

// hasAny reports whether m carries one of the reactions.
func (b *builder) hasAny(m *archive.Message, names []string) bool {
	for _, n := range names {
		if m.HasReaction(n) {
			return true
		}
	}
	return false
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// lineKey holds, among a match's values, the line where the match starts:
// the event's summary when the rule has no summary group.
const lineKey = ""

// lineAt is the trimmed line of text holding byte offset i.
func lineAt(text string, i int) string {
	start := strings.LastIndexByte(text[:i], '\n') + 1
	end := strings.IndexByte(text[i:], '\n')
	if end < 0 {
		return strings.TrimSpace(text[start:])
	}
	return strings.TrimSpace(text[start : i+end])
}
