// Package render writes an incident's postmortem: Markdown from
// text/template templates, and one self-contained HTML file that is
// goldmark's rendering of that same Markdown inside an html/template shell,
// with the phase chart as inline SVG and the transcript folded by thread.
//
// # Safety
//
// Slack text is untrusted. The builder redacts secrets from a copy of every
// string it takes from the archive or the timeline, converts message text
// with package mrkdwn and escapes everything else with [Text], so the
// template data holds Markdown that can show text but add no structure.
// Templates are only ever parsed from template files, never from data.
// goldmark runs without raw HTML, and the HTML page forbids scripts and
// remote resources with a Content-Security-Policy.
package render

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/redact"
	"github.com/wrapup/wrapup/timeline"
)

// File names in the incident folder.
const (
	MarkdownFile   = "postmortem.md"
	HTMLFile       = "postmortem.html"
	TranscriptFile = "transcript.html"
	TimelineFile   = "timeline.json"
)

// DefaultTranscriptLimit is output.transcript_limit's default.
const DefaultTranscriptLimit = 5000

// Options say how to render. The zero value renders Markdown and HTML with
// the built-in templates, in UTC, without redaction.
type Options struct {
	Formats         []string       // "md", "html"; empty means both
	Templates       string         // a folder whose templates override the built-in ones, file by file
	Location        *time.Location // the display zone (output.timezone); nil is UTC
	Cadence         time.Duration  // timeline.update_cadence
	WorkspaceURL    string         // https://<team>.slack.com, for the channel link and file permalinks
	LinkBase        string         // output.link_base: where CI publishes the incident folders
	Folder          string         // the incident folder's name, for links under LinkBase
	TranscriptLimit int            // past this many messages the transcript gets its own file; 0 is the default
	Redactor        *redact.Redactor
	Tool            string // e.g. "wrapup v1.2.0", shown in the document
	// Messages, when set, is where the channel's messages are read: the
	// archive given to Render holds the channel, its users and warnings,
	// and no messages. A custom template that lays out Page.Transcript
	// itself still gets every entry at once.
	Messages Messages
}

// Messages is where Render reads a channel's messages when its archive
// holds none of them (Options.Messages): a reader that keeps an index and
// reads messages again when asked, as slackexport.Scanned does, so that a
// channel of any length is never held whole. Every answer is the one the
// archive holding the messages would give.
type Messages interface {
	// Roots is how many top-level messages there are (len(arc.Messages)),
	// parents that are Missing included.
	Roots() int
	// Threads returns arc.Messages[lo:hi], each with its Replies. It is
	// called from several goroutines at once.
	Threads(lo, hi int) ([]*archive.Message, error)
	// Lookup finds a message, reply or not, by ts: nil when there is none.
	Lookup(ts archive.TS) (*archive.Message, error)
	// Appendix is the messages with files or that changed the topic, in
	// arc.All()'s order.
	Appendix() []*archive.Message
	// Last is the ts of the last message that is not a join or leave.
	Last() archive.TS
	// Count is how many messages the transcript shows: every message and
	// reply, less the Missing parents.
	Count() int64
}

// memMessages are the messages of an archive that holds them.
type memMessages struct {
	arc  *archive.Archive
	byTS map[archive.TS]*archive.Message // built on the first Lookup
}

func (m *memMessages) Roots() int { return len(m.arc.Messages) }

func (m *memMessages) Threads(lo, hi int) ([]*archive.Message, error) {
	return m.arc.Messages[lo:hi], nil
}

func (m *memMessages) Lookup(ts archive.TS) (*archive.Message, error) {
	if m.byTS == nil {
		m.byTS = map[archive.TS]*archive.Message{}
		for msg := range m.arc.All() {
			m.byTS[msg.TS] = msg
		}
	}
	return m.byTS[ts], nil
}

func (m *memMessages) Appendix() []*archive.Message {
	var out []*archive.Message
	for msg := range m.arc.All() {
		if len(msg.Files) > 0 || msg.Subtype == "channel_topic" || msg.Subtype == "group_topic" {
			out = append(out, msg)
		}
	}
	return out
}

func (m *memMessages) Last() archive.TS {
	var last archive.TS
	for msg := range m.arc.All() {
		if !msg.IsJoinLeave() {
			last = max(last, msg.TS)
		}
	}
	return last
}

func (m *memMessages) Count() int64 { return transcriptCount(m.arc.Messages) }

// Output is a rendered postmortem: the files for the incident folder.
type Output struct {
	Files []OutFile
	// Redactions counts the secrets masked. A streamed file adds its own
	// once it is written: the count is whole once every file is.
	Redactions int
	Messages   int64 // messages in the transcript
	Events     int
	Data       *Data
}

// OutFile is one rendered file: its bytes, or, for a file too large to
// be worth holding in memory (a long channel's transcript), the function
// that writes them.
type OutFile struct {
	Name string // a file name in the incident folder
	Data []byte
	// Stream, when set, writes the file's bytes to w (Data is nil then).
	// It renders as it writes, so it can fail; it can be called more than
	// once, and writes the same bytes each time.
	Stream func(w io.Writer) error
}

// Bytes returns the file's bytes, streaming them into memory if need be.
func (f OutFile) Bytes() ([]byte, error) {
	if f.Stream == nil {
		return f.Data, nil
	}
	var buf bytes.Buffer
	if err := f.Stream(&buf); err != nil {
		return nil, fmt.Errorf("%s: %w", f.Name, err)
	}
	return buf.Bytes(), nil
}

// Render renders the postmortem of arc's incident from its timeline. It
// builds everything in memory, on error returning nothing, except a long
// transcript, which is rendered as it is written (OutFile.Stream) and is
// only as whole as its writer makes it.
func Render(arc *archive.Archive, tl *timeline.Timeline, opts Options) (*Output, error) {
	if arc == nil || tl == nil {
		return nil, errors.New("render: needs an archive and a timeline")
	}
	md, html := wants(opts.Formats)
	if !md && !html {
		return nil, fmt.Errorf("render: no known format in %q (want md, html)", opts.Formats)
	}
	set, err := loadTemplates(opts.Templates, html)
	if err != nil {
		return nil, err
	}
	b := newBuilder(arc, tl, opts)
	// timeline.json needs nothing the documents make: it is encoded on
	// another CPU meanwhile, by a copy of the builder (whose redaction
	// count it leaves alone anyway).
	type encoded struct {
		js  []byte
		err error
	}
	jsc := make(chan encoded, 1)
	sub := *b
	go func() {
		js, err := sub.timelineJSON()
		jsc <- encoded{js, err}
	}()
	data := b.data()
	if b.err != nil {
		return nil, b.err
	}
	mdBytes, err := set.markdown(data)
	if err != nil {
		return nil, err
	}
	out := &Output{Data: data, Events: len(tl.Events)}
	if md {
		out.Files = append(out.Files, OutFile{Name: MarkdownFile, Data: mdBytes})
	}
	if html {
		files, n, err := b.html(set, data, mdBytes, &out.Redactions)
		if err != nil {
			return nil, err
		}
		out.Files = append(out.Files, files...)
		out.Messages = n
	}
	js := <-jsc
	if js.err != nil {
		return nil, fmt.Errorf("timeline.json: %w", js.err)
	}
	out.Files = append(out.Files, OutFile{Name: TimelineFile, Data: js.js})
	out.Redactions = b.redacted
	return out, nil
}

func wants(formats []string) (md, html bool) {
	if len(formats) == 0 {
		return true, true
	}
	for _, f := range formats {
		switch f {
		case "md":
			md = true
		case "html":
			html = true
		}
	}
	return md, html
}
