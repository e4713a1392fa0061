package render

import (
	"fmt"
	"strings"
	"time"

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/emoji"
	"github.com/wrapup/wrapup/archive/mrkdwn"
	"github.com/wrapup/wrapup/redact"
	"github.com/wrapup/wrapup/timeline"
)

// summaryRunes caps a timeline summary: a table row stays one screen wide.
const summaryRunes = 300

// builder turns a timeline and its archive into Data. It is the one place
// where untrusted text is redacted and converted to Markdown.
type builder struct {
	arc      *archive.Archive
	tl       *timeline.Timeline
	opts     Options
	loc      *time.Location
	red      *redact.Redactor
	redacted int
	resolver mrkdwn.MapResolver
	msgs     Messages          // the channel's messages: opts.Messages, or arc's
	err      error             // the first error reading msgs while building the data
	last     time.Time         // the last message that is not a join or leave
	links    bool              // the workspace URL and channel ID are safe in a permalink
	fullText map[string]string // a cut action item summary -> the item's text
}

func newBuilder(arc *archive.Archive, tl *timeline.Timeline, opts Options) *builder {
	b := &builder{arc: arc, tl: tl, opts: opts, loc: opts.Location, red: opts.Redactor,
		resolver: mrkdwn.MapResolver{Users: map[string]string{}, Channels: map[string]string{}},
		fullText: itemText(tl)}
	if b.loc == nil {
		b.loc = time.UTC
	}
	for _, u := range arc.Users {
		if u.Name != "" {
			b.resolver.Users[u.ID] = u.Name
		}
	}
	if arc.Channel.ID != "" && arc.Channel.Name != "" {
		b.resolver.Channels[arc.Channel.ID] = arc.Channel.Name
	}
	if ws := SafeURL(opts.WorkspaceURL); ws != "" && ws == opts.WorkspaceURL && safeID(arc.Channel.ID) {
		b.links = true
	}
	b.msgs = opts.Messages
	if b.msgs == nil {
		b.msgs = &memMessages{arc: arc}
	}
	if last := b.msgs.Last(); last != 0 {
		b.last = last.Time().Truncate(time.Second)
	}
	return b
}

// redact masks secrets in s, counting them.
func (b *builder) redact(s string) string {
	out, n := b.red.Redact(s)
	b.redacted += n
	return out
}

// text is plain untrusted text as inline Markdown.
func (b *builder) text(s string) string { return Text(b.redact(s)) }

// user is a handle as inline Markdown, "@alice".
func (b *builder) user(h string) string {
	if h == "" {
		return ""
	}
	return Text("@" + strings.TrimPrefix(b.redact(h), "@"))
}

// cut redacts s, then cuts it to n runes, counting the secrets.
func (b *builder) cut(s string, n int) string {
	out, k := b.red.RedactCut(s, n)
	b.redacted += k
	return out
}

// summary is a timeline summary (markup flattened, entities decoded).
func (b *builder) summary(s string) string { return inlineDecoded(b.cut(s, summaryRunes)) }

// message is a message's raw Slack text on one line of Markdown.
func (b *builder) message(m *archive.Message) string {
	return mrkdwn.ToInline(b.cut(m.ContentText(), summaryRunes), b.resolver)
}

// uncut is an action item's summary, redacted: the timeline cuts a long
// item's summary before anything is redacted, so it is cut again from the
// item's full text (redact.Redactor.Recut).
func (b *builder) uncut(summary, full string) string {
	out, n := b.red.RedactRecut(summary, full)
	b.redacted += n
	return out
}

// itemText maps the summaries the timeline cut to the full text of their
// action item, for [builder.uncut].
func itemText(tl *timeline.Timeline) map[string]string {
	full := map[string]string{}
	for _, a := range tl.ActionItems {
		if a.Text != "" && strings.HasSuffix(a.Summary, redact.Ellipsis) {
			full[a.Summary] = a.Text
		}
	}
	return full
}

func (b *builder) time(t time.Time) Time {
	if t.IsZero() {
		return Time{}
	}
	u := t.UTC()
	s := dateTime(u)
	tm := Time{Set: true, At: u, UTC: s, Date: s[:10], Clock: s[11:]}
	if b.loc != time.UTC {
		tm.Local = timeline.InZone(u, b.loc)
	}
	return tm
}

// dateTime is t.Format(time.DateTime) for years 0-9999, without the
// layout parsing: the transcript formats one per message.
func dateTime(t time.Time) string {
	y, mo, d := t.Date()
	h, mi, sec := t.Clock()
	if y < 0 || y > 9999 {
		return t.Format(time.DateTime)
	}
	var buf [19]byte
	put := func(i, v, n int) {
		for j := i + n - 1; j >= i; j-- {
			buf[j] = byte('0' + v%10)
			v /= 10
		}
	}
	put(0, y, 4)
	buf[4] = '-'
	put(5, int(mo), 2)
	buf[7] = '-'
	put(8, d, 2)
	buf[10] = ' '
	put(11, h, 2)
	buf[13] = ':'
	put(14, mi, 2)
	buf[16] = ':'
	put(17, sec, 2)
	return string(buf[:])
}

func (b *builder) timePtr(t *time.Time) Time {
	if t == nil {
		return Time{}
	}
	return b.time(*t)
}

func (b *builder) permalink(p *string) string {
	if p == nil {
		return ""
	}
	return SafeURL(*p)
}

// lookup finds a message by ts. An error reading it is kept in b.err,
// for Render to return, and the message is taken as absent meanwhile.
func (b *builder) lookup(ts archive.TS) *archive.Message {
	m, err := b.msgs.Lookup(ts)
	if err != nil {
		if b.err == nil {
			b.err = fmt.Errorf("message %s: %w", ts, err)
		}
		return nil
	}
	return m
}

// data builds the Markdown templates' data.
func (b *builder) data() *Data {
	tl, inc := b.tl, b.tl.Incident
	d := &Data{Tool: b.opts.Tool, Zone: b.loc.String(), ShowLocal: b.loc.String() != "UTC",
		Warnings: []string{}}
	d.Title = Text(emoji.Replace(b.redact(inc.Title)))
	if d.Title == "" {
		d.Title = Text("#" + b.arc.Channel.Name)
	}
	d.Channel = Channel{ID: b.arc.Channel.ID, Name: Text(b.arc.Channel.Name), Purpose: b.message(&archive.Message{Text: b.arc.Channel.Purpose.Value}),
		Archive: "archive/", Messages: tl.Metrics.Messages}
	if ws := SafeURL(b.opts.WorkspaceURL); ws != "" && b.arc.Channel.ID != "" {
		d.Channel.Permalink = strings.TrimRight(ws, "/") + "/archives/" + b.arc.Channel.ID
	}
	if base := SafeURL(b.opts.LinkBase); base != "" && b.opts.Folder != "" {
		d.Channel.ArchiveURL = strings.TrimRight(base, "/") + "/" + pathEscape(b.opts.Folder) + "/archive/"
	}
	d.Incident = Incident{Severity: b.text(inc.Severity), InitialSeverity: b.text(inc.InitialSeverity),
		PeakSeverity: b.text(inc.PeakSeverity), Status: b.text(inc.Status), Commander: b.user(inc.Commander),
		Declared: b.timePtr(inc.DeclaredAt), Mitigated: b.timePtr(inc.MitigatedAt), Resolved: b.timePtr(inc.ResolvedAt),
		NoDeclaration: inc.NoDeclaration}
	if inc.DeclaredAt != nil {
		end := b.last
		if inc.ResolvedAt != nil {
			end = *inc.ResolvedAt
		}
		if end.After(*inc.DeclaredAt) {
			d.Incident.Duration = Duration(int64(end.Sub(*inc.DeclaredAt) / time.Second))
		}
	}
	d.Incident.Summary = b.summarySentence(d)
	for _, r := range tl.Roles {
		d.Roles = append(d.Roles, Role{Role: b.text(r.Role), User: b.user(r.User), At: b.time(r.At)})
	}
	d.Metrics = b.metrics()
	d.Events = b.events()
	d.Chart = b.chart()
	d.Coordination = b.coordination()
	d.ActionItems = b.actionItems()
	d.Appendix = b.appendix(d.Events)
	for _, w := range tl.Warnings {
		d.Warnings = append(d.Warnings, b.text(w))
	}
	for _, w := range b.arc.Warnings {
		d.Warnings = append(d.Warnings, b.text(w))
	}
	return d
}

// summarySentence says what is known, for the humans to build on.
func (b *builder) summarySentence(d *Data) string {
	inc := d.Incident
	var s strings.Builder
	s.WriteString(d.Title)
	switch {
	case inc.NoDeclaration || !inc.Declared.Set:
		s.WriteString(" was not formally declared")
	default:
		fmt.Fprintf(&s, " was declared on %s UTC", inc.Declared.UTC)
		if inc.InitialSeverity != "" {
			fmt.Fprintf(&s, " at %s", inc.InitialSeverity)
		}
	}
	if inc.PeakSeverity != "" && inc.PeakSeverity != inc.InitialSeverity {
		fmt.Fprintf(&s, ", peaked at %s", inc.PeakSeverity)
	}
	switch {
	case inc.Resolved.Set && inc.Duration != "":
		fmt.Fprintf(&s, " and was resolved %s later", inc.Duration)
	case inc.Status != "":
		fmt.Fprintf(&s, "; its last status is %s", inc.Status)
	}
	m := b.tl.Metrics
	fmt.Fprintf(&s, ". %s posted %s", plural(m.Responders, "responder"), plural(m.Messages, "message"))
	if m.Threads > 0 {
		fmt.Fprintf(&s, " in %s", plural(m.Threads, "thread")+" and the channel")
	}
	s.WriteString(".")
	return s.String()
}

// pathEscape escapes a folder name for a URL path.
func pathEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// Duration formats seconds for people: "1h 7m 49s", "55m", "2d 3h". It is
// the template function "duration".
func Duration(secs int64) string {
	if secs < 0 {
		return "-" + Duration(-secs)
	}
	if secs == 0 {
		return "0s"
	}
	parts := []struct {
		n    int64
		unit string
	}{{secs / 86400, "d"}, {secs % 86400 / 3600, "h"}, {secs % 3600 / 60, "m"}, {secs % 60, "s"}}
	var out []string
	for i, p := range parts {
		if p.n == 0 {
			continue
		}
		if i == 3 && secs >= 86400 {
			break // seconds do not matter over days
		}
		out = append(out, fmt.Sprintf("%d%s", p.n, p.unit))
	}
	return strings.Join(out, " ")
}

// plural is "1 message", "2 messages", "3 replies". It is the template function "plural".
func plural(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if strings.HasSuffix(noun, "y") && !strings.HasSuffix(noun, "ay") && !strings.HasSuffix(noun, "ey") {
		return fmt.Sprintf("%d %sies", n, noun[:len(noun)-1])
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// messageLink is m's permalink ([timeline.Permalink]), or "" when the
// workspace URL is unknown or unsafe or m has no ts. The workspace URL and
// channel ID are checked once, in newBuilder; the rest of the link is
// digits.
//
// It is timeline.Permalink's link, built in one allocation: the
// transcript makes one per message (TestMessageLink holds them equal).
func (b *builder) messageLink(m *archive.Message) string {
	if !b.links || m.TS == 0 {
		return ""
	}
	ch := b.arc.Channel.ID
	ws := strings.TrimRight(b.opts.WorkspaceURL, "/")
	var buf [160]byte // on the stack: the one allocation is the string
	l := buf[:0]
	l = append(append(append(append(l, ws...), "/archives/"...), ch...), "/p"...)
	l = m.TS.AppendText(l)
	dot := len(l) - 7 // Digits: the ts without its dot
	l = append(l[:dot], l[dot+1:]...)
	if m.ThreadTS != 0 && m.ThreadTS != m.TS {
		l = m.ThreadTS.AppendText(append(l, "?thread_ts="...))
		l = append(append(l, "&cid="...), ch...)
	}
	return string(l)
}

// safeID reports whether a Slack ID is letters and digits only.
func safeID(id string) bool {
	for i := 0; i < len(id); i++ {
		if c := id[i]; !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return id != ""
}
