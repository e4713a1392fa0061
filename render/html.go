package render

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	"io"
	"time"

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/emoji"
	"github.com/wrapup/wrapup/archive/mrkdwn"
	"github.com/wrapup/wrapup/templates"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// newGoldmark is the Markdown to HTML converter: GFM tables,
// strikethrough and linkify, heading IDs, tables labelled for narrow
// screens (tableLabels), and no raw HTML (goldmark's default;
// html.WithUnsafe is never used). A fenced block whose info
// string is "mermaid" becomes chart, the phase chart as SVG.
func newGoldmark(chart []byte) goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify),
		goldmark.WithParserOptions(parser.WithAutoHeadingID(),
			parser.WithASTTransformers(util.Prioritized(tableLabels{}, 100))),
		goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(&fenceRenderer{chart: chart}, 100),
			util.Prioritized(&cellRenderer{}, 100))),
	)
}

// fenceRenderer renders fenced code blocks as goldmark does, except the
// mermaid gantt, which browsers cannot draw without a script: it becomes
// the SVG chart drawn from the same data.
type fenceRenderer struct{ chart []byte }

func (r *fenceRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, r.render)
}

func (r *fenceRenderer) render(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.FencedCodeBlock)
	lang := n.Language(source)
	if string(lang) == "mermaid" && r.chart != nil {
		if entering {
			_, _ = w.Write(r.chart)
		}
		return ast.WalkSkipChildren, nil
	}
	if !entering {
		_, _ = w.WriteString("</code></pre>\n")
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString("<pre><code")
	if lang != nil {
		_, _ = w.WriteString(` class="language-`)
		_, _ = w.Write(util.EscapeHTML(lang))
		_ = w.WriteByte('"')
	}
	_ = w.WriteByte('>')
	for i := 0; i < n.Lines().Len(); i++ {
		line := n.Lines().At(i)
		gmhtml.DefaultWriter.RawWrite(w, line.Value(source))
	}
	return ast.WalkContinue, nil
}

// html renders postmortem.html, and transcript.html when the transcript
// is past the limit. It returns the files and the transcript's size. A
// transcript.html of the built-in kind is streamed: its messages are
// rendered as the file is written, and their secrets are added to
// redactions then.
func (b *builder) html(set *templateSet, data *Data, md []byte, redactions *int) ([]OutFile, int64, error) {
	chart, err := set.executeHTML(chartTemplate, data.Chart)
	if err != nil {
		return nil, 0, err
	}
	if len(data.Chart.Phases) == 0 {
		chart = nil
	}
	gm := newGoldmark(chart)
	var body bytes.Buffer
	if err := gm.Convert(md, &body); err != nil {
		return nil, 0, fmt.Errorf("markdown to html: %w", err)
	}
	// Built-in templates print the transcript's HTML only: it is built
	// straight into the page that holds it (appendTranscript). A custom
	// template may lay out the entries itself: they are built first.
	var entries []Entry
	var trHTML transcriptHTML
	n := b.msgs.Count()
	if set.customHTML() {
		all, err := b.allThreads()
		if err != nil {
			return nil, 0, err
		}
		if entries, trHTML, n, err = b.buildTranscript(all, true); err != nil {
			return nil, 0, err
		}
	}
	// The page is executed with a marker where the transcript goes, and the
	// transcript spliced in after: html/template would copy its megabytes
	// through fmt twice. No text can forge the marker: its NUL bytes are
	// dropped from every message.
	page := &Page{Title: PlainText(emoji.Replace(b.redact(b.tl.Incident.Title))), Body: htmltemplate.HTML(body.String()), //nolint:gosec // goldmark output without raw HTML
		Transcript: entries, TranscriptHTML: transcriptMarker, Messages: n, Data: data}
	if page.Title == "" {
		page.Title = "#" + PlainText(b.arc.Channel.Name)
	}
	var files []OutFile
	if n > int64(b.transcriptLimit()) {
		tr, err := set.executeHTML(templates.Transcript, page)
		if err != nil {
			return nil, 0, err
		}
		if f, ok := b.streamed(tr, trHTML, redactions); ok {
			files = append(files, f)
		} else {
			if tr, err = b.splice(tr, trHTML); err != nil {
				return nil, 0, err
			}
			files = append(files, OutFile{Name: TranscriptFile, Data: tr})
		}
		p := *page
		p.Transcript, p.TranscriptHTML, p.TranscriptFile = nil, "", TranscriptFile
		page = &p
	}
	doc, err := set.executeHTML(templates.Page, page)
	if err != nil {
		return nil, 0, err
	}
	if page.TranscriptHTML != "" {
		if doc, err = b.splice(doc, trHTML); err != nil {
			return nil, 0, err
		}
	}
	return append([]OutFile{{Name: HTMLFile, Data: doc}}, files...), n, nil
}

// transcriptMarker stands for the transcript while a page is executed.
const transcriptMarker htmltemplate.HTML = "<!--\x00wrapup:transcript\x00-->"

// streamed is transcript.html as a stream, when page (executed with the
// marker) holds the marker once and the transcript is not built yet: the
// page up to the marker, the messages as they are rendered, the rest. The
// file is written by a caller after Render, with b no longer in use; the
// transcript's secrets are added to redactions the first time only.
func (b *builder) streamed(page []byte, tr transcriptHTML, redactions *int) (OutFile, bool) {
	marker := []byte(transcriptMarker)
	if tr != nil || bytes.Count(page, marker) != 1 {
		return OutFile{}, false
	}
	i := bytes.Index(page, marker)
	head, tail := page[:i], page[i+len(marker):]
	counted := false
	return OutFile{Name: TranscriptFile, Stream: func(w io.Writer) error {
		if _, err := w.Write(head); err != nil {
			return err
		}
		n, err := b.streamTranscript(w, b.msgs)
		if err != nil {
			return err
		}
		if !counted {
			*redactions += n
			counted = true
		}
		_, err = w.Write(tail)
		return err
	}}, true
}

// allThreads is every top-level message with its replies, for a template
// that lays out the whole transcript itself.
func (b *builder) allThreads() ([]*archive.Message, error) {
	return b.msgs.Threads(0, b.msgs.Roots())
}

// transcriptLimit is how many messages the page may hold before the
// transcript goes to its own file.
func (b *builder) transcriptLimit() int {
	if b.opts.TranscriptLimit <= 0 {
		return DefaultTranscriptLimit
	}
	return b.opts.TranscriptLimit
}

// splice puts the transcript where the page printed the marker. With the
// transcript not built yet (tr nil) and one marker, the transcript is
// written into the page as it goes (streamTranscript); else it is built
// whole and copied in.
func (b *builder) splice(page []byte, tr transcriptHTML) ([]byte, error) {
	marker := []byte(transcriptMarker)
	if tr != nil || bytes.Count(page, marker) != 1 {
		if tr == nil {
			all, err := b.allThreads()
			if err != nil {
				return nil, err
			}
			if _, tr, _, err = b.buildTranscript(all, false); err != nil {
				return nil, err
			}
		}
		return spliceParts(page, tr), nil
	}
	i := bytes.Index(page, marker)
	var out bytes.Buffer
	out.Grow(len(page) + 64 + int(b.msgs.Count())*300)
	out.Write(page[:i])
	n, err := b.streamTranscript(&out, b.msgs)
	if err != nil {
		return nil, err
	}
	b.redacted += n
	out.Write(page[i+len(marker):])
	return out.Bytes(), nil
}

// spliceParts puts the transcript where the page printed the marker,
// building the page once at its final size: the transcript of a large
// channel is tens of megabytes, not to be copied more than once.
func spliceParts(page []byte, transcript transcriptHTML) []byte {
	marker := []byte(transcriptMarker)
	count := bytes.Count(page, marker)
	if count == 0 {
		return page
	}
	size := 0
	for _, s := range transcript {
		size += len(s)
	}
	out := make([]byte, 0, len(page)+count*(size-len(marker)))
	for {
		i := bytes.Index(page, marker)
		if i < 0 {
			break
		}
		out = append(out, page[:i]...)
		for _, s := range transcript {
			out = append(out, s...)
		}
		page = page[i+len(marker):]
	}
	return append(out, page...)
}

// transcriber turns messages into transcript entries.
type transcriber struct {
	b   *builder
	gm  goldmark.Markdown
	buf bytes.Buffer
	// lean entries are only written by writeItem, never shown to a
	// template: their times skip what writeItem does not print.
	lean bool
}

// thread converts a top-level message and its replies; n counts them.
func (t *transcriber) thread(m *archive.Message) (e Entry, n int64, err error) {
	if m.Missing {
		e = Entry{ID: entryID(m.TS), At: t.time(m.TS),
			Event: "(the first message of this thread is not in the archive)"}
	} else {
		if e, err = t.entry(m); err != nil {
			return Entry{}, 0, err
		}
		n++
	}
	if len(m.Replies) > 0 {
		e.Replies = make([]Entry, 0, len(m.Replies))
		for _, r := range m.Replies {
			re, err := t.entry(r)
			if err != nil {
				return Entry{}, 0, err
			}
			e.Replies = append(e.Replies, re)
			n++
		}
	}
	return e, n, nil
}

func (t *transcriber) entry(m *archive.Message) (Entry, error) {
	b := t.b
	e := Entry{ID: entryID(m.TS), At: t.time(m.TS), Author: PlainText(b.redact(b.poster(m))),
		Bot: b.arc.IsBotMessage(m), Edited: m.Edited != nil,
		Permalink: b.messageLink(m)}
	switch m.Subtype {
	case "channel_join", "group_join":
		e.Event = "joined the channel"
	case "channel_leave", "group_leave":
		e.Event = "left the channel"
	}
	if e.Event == "" {
		text := b.redact(m.ContentText())
		md := text
		if !isPlainSlack(text) {
			md = mrkdwn.ToMarkdown(text, b.resolver)
		}
		body, err := t.toHTML(md)
		if err != nil {
			return Entry{}, fmt.Errorf("message %s: %w", m.TS, err)
		}
		e.Body = body
	}
	for _, f := range m.Files {
		name := f.Title
		if name == "" {
			name = f.Name
		}
		if f.Size > 0 {
			name += " (" + byteSize(int64(f.Size)) + ")"
		}
		e.Files = append(e.Files, PlainText(b.redact(name)))
	}
	for _, r := range m.Reactions {
		e.Reactions = append(e.Reactions, fmt.Sprintf("%s ×%d", reaction(b.redact(r.Name)), max(int(r.Count), len(r.Users), 1)))
	}
	return e, nil
}

// time is an entry's time: whole, or as much as writeItem prints.
func (t *transcriber) time(ts archive.TS) Time {
	at := ts.Time().Truncate(time.Second)
	if !t.lean || at.IsZero() {
		return t.b.time(at)
	}
	u := at.UTC()
	return Time{Set: true, At: u, UTC: dateTime(u)}
}

// reaction shows a reaction's emoji, ":name:" when it is a custom one.
func reaction(name string) string {
	if e, ok := emoji.Lookup(name); ok {
		return e
	}
	return ":" + PlainText(name) + ":"
}

// toHTML renders a message's Markdown. Most messages are one plain line,
// for which goldmark's output is known without parsing: a paragraph of
// the escaped text. Anything with a character that could be Markdown goes
// through goldmark. TestPlainFastPath checks the two agree.
func (t *transcriber) toHTML(md string) (htmltemplate.HTML, error) {
	if md == "" {
		return "", nil
	}
	if isPlainLine(md) {
		return htmltemplate.HTML("<p>" + string(util.EscapeHTML([]byte(md))) + "</p>\n"), nil //nolint:gosec // escaped
	}
	t.buf.Reset()
	if err := t.gm.Convert([]byte(md), &t.buf); err != nil {
		return "", err
	}
	return htmltemplate.HTML(t.buf.String()), nil //nolint:gosec // goldmark output without raw HTML
}

// isPlainLine reports whether md is one line that no Markdown rule
// touches: no punctuation Markdown or GFM use, no line break, no URL or
// address that linkify would find, no leading or trailing space.
func isPlainLine(md string) bool {
	// Starting with a letter rules out every block syntax ("1.", "- ", "> ").
	if c := md[0]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80) || md[len(md)-1] == ' ' {
		return false
	}
	for i := 0; i < len(md); i++ {
		switch c := md[i]; c {
		case '\\', '`', '*', '_', '{', '}', '[', ']', '<', '>', '(', ')', '#', '!', '|', '~', '&', '$', ':', '@',
			'\n', '\r', '\t', '\f', '\v', 0:
			return false
		case 'w', 'W':
			if i+2 < len(md) && md[i+1]|0x20 == 'w' && md[i+2]|0x20 == 'w' {
				return false // "www." would be linkified
			}
		}
	}
	return true
}

// isPlainSlack reports whether Slack text is words and the punctuation of
// prose that neither mrkdwn nor Markdown treats specially, so that its
// Markdown is the text itself. Most messages in a busy channel are; the
// check saves converting them. TestPlainFastPath holds it to mrkdwn.
func isPlainSlack(s string) bool {
	if s == "" || !isPlainLine(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == ' ' && s[i-1] != ' ' ||
			c == ',' || c == '.' || c == '\'' || c == '?' || c == '%' || c == '-' || c == ';') {
			return false
		}
	}
	return true
}
