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
}

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
