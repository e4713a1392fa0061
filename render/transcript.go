package render

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wrapup/wrapup/archive"
)

// The transcript can hold 100,000 messages, too many for html/template,
// whose escaping costs a reflective call per action: it would take
// seconds. So the built-in templates print Page.TranscriptHTML, which
// buildTranscript builds here with the same escaping rules (text and
// attribute values through html.EscapeString, bodies from goldmark), while
// Page.Transcript keeps the entries for templates that want to lay the
// transcript out themselves.

// buildTranscript converts the messages into the transcript's HTML, and
// into entries when keep is set (a custom template may lay them out; the
// built-in ones print the HTML, and 100,000 entries are memory that a
// large channel can do without). It runs on every CPU: each worker takes
// a contiguous share of the top-level messages with its own goldmark and
// redaction count, so the result is the same in any schedule.
func (b *builder) buildTranscript(msgs []*archive.Message, keep bool) ([]Entry, transcriptHTML, int64, error) {
	workers := min(runtime.GOMAXPROCS(0), 8, max(len(msgs)/500, 1))
	type part struct {
		entries  []Entry
		html     bytes.Buffer
		n        int64
		redacted int
		err      error
	}
	parts := make([]part, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := len(msgs)*w/workers, len(msgs)*(w+1)/workers
		wg.Go(func() {
			sub := *b // a copy whose redaction count is its own
			sub.redacted = 0
			t := &transcriber{b: &sub, gm: newGoldmark(nil)}
			p := &parts[w]
			size := 0
			for _, m := range msgs[lo:hi] {
				size += 1 + len(m.Replies)
			}
			p.html.Grow(size * 280)
			for _, m := range msgs[lo:hi] {
				e, n, err := t.thread(m)
				if err != nil {
					p.err = err
					return
				}
				p.n += n
				writeItem(&p.html, &e)
				if keep {
					p.entries = append(p.entries, e)
				}
			}
			p.redacted = sub.redacted
		})
	}
	wg.Wait()
	var entries []Entry
	var n int64
	for i := range parts {
		if parts[i].err != nil {
			return nil, nil, 0, parts[i].err
		}
	}
	// The parts are not joined: splice copies them into the page, once.
	tr := transcriptHTML{`<ol class="msgs">`}
	for i := range parts {
		p := &parts[i]
		entries = append(entries, p.entries...)
		tr = append(tr, p.html.String())
		n += p.n
		b.redacted += p.redacted
	}
	tr = append(tr, "\n</ol>")
	return entries, tr, n, nil
}

// transcriptCount is how many messages the transcript of msgs shows:
// every message and reply, less the parents that are missing.
func transcriptCount(msgs []*archive.Message) int64 {
	var n int64
	for _, m := range msgs {
		if !m.Missing {
			n++
		}
		n += int64(len(m.Replies))
	}
	return n
}

// transcriptEstimate is about the bytes the transcript of msgs takes,
// from its markup per message and its text, so that the page holding it
// is allocated once.
func transcriptEstimate(msgs []*archive.Message) int {
	size := 64
	for _, m := range msgs {
		size += 200 + len(m.Text)
		for _, r := range m.Replies {
			size += 200 + len(r.Text)
		}
	}
	return size
}

// transcriptChunk is how many top-level messages a worker of
// streamTranscript converts at a time.
const transcriptChunk = 128

// streamTranscript writes the transcript's HTML, as buildTranscript
// builds it, to w, and returns the secrets it masked. It reads the
// messages from src a chunk at a time. The workers (one
// per CPU) take chunks of threads in turn, and the chunks are written in
// order as they are done, each into a buffer that is used again once
// written: at most a few chunks per worker are held at once, so a
// transcript of any length costs some hundreds of kilobytes.
func (b *builder) streamTranscript(w io.Writer, src Messages) (int, error) {
	roots := src.Roots()
	chunks := (roots + transcriptChunk - 1) / transcriptChunk
	workers := min(runtime.GOMAXPROCS(0), 8, max(chunks, 1))
	type chunk struct {
		buf *bytes.Buffer
		err error
	}
	done := make([]chan chunk, chunks)
	for i := range done {
		done[i] = make(chan chunk, 1)
	}
	// A worker takes chunk i once the one 4*workers before it was
	// written: that bounds what waits for the writer, and the buffers.
	ahead := make(chan struct{}, 4*workers)
	bufs := make(chan *bytes.Buffer, 4*workers+workers)
	var next atomic.Int64
	stop := make(chan struct{})
	redacted := make([]int, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			sub := *b // a copy whose redaction count is its own
			sub.redacted = 0
			defer func() { redacted[w] = sub.redacted }()
			t := &transcriber{b: &sub, gm: newGoldmark(nil), lean: true}
			for {
				select {
				case ahead <- struct{}{}:
				case <-stop:
					return
				}
				select {
				case <-stop:
					return
				default:
				}
				i := int(next.Add(1) - 1)
				if i >= chunks {
					return
				}
				var buf *bytes.Buffer
				select {
				case buf = <-bufs:
					buf.Reset()
				default:
					buf = new(bytes.Buffer)
				}
				lo, hi := i*transcriptChunk, min((i+1)*transcriptChunk, roots)
				msgs, err := src.Threads(lo, hi)
				if err != nil {
					done[i] <- chunk{buf, fmt.Errorf("messages %d to %d: %w", lo, hi, err)}
					continue
				}
				buf.Grow(transcriptEstimate(msgs))
				for _, m := range msgs {
					var e Entry
					if e, _, err = t.thread(m); err != nil {
						break
					}
					writeItem(buf, &e)
				}
				done[i] <- chunk{buf, err}
			}
		})
	}
	_, err := io.WriteString(w, `<ol class="msgs">`)
	for i := 0; i < chunks && err == nil; i++ {
		c := <-done[i]
		<-ahead
		if err = c.err; err == nil {
			_, err = w.Write(c.buf.Bytes())
		}
		select {
		case bufs <- c.buf:
		default:
		}
	}
	close(stop)
	wg.Wait()
	if err == nil {
		_, err = io.WriteString(w, "\n</ol>")
	}
	if err != nil {
		return 0, err
	}
	n := 0
	for _, r := range redacted {
		n += r
	}
	return n, nil
}

// transcriptHTML is the transcript's HTML in pieces, every one escaped in
// writeItem, to be spliced into a page.
type transcriptHTML []string

// writeTranscript writes entries as the transcript's HTML: an ordered
// list, each thread's replies folded in a <details> under their parent.
func writeTranscript(sb *bytes.Buffer, entries []Entry) {
	sb.WriteString(`<ol class="msgs">`)
	for i := range entries {
		writeItem(sb, &entries[i])
	}
	sb.WriteString("\n</ol>")
}

// writeItem writes one entry, its replies folded under it.
func writeItem(sb *bytes.Buffer, e *Entry) {
	{
		sb.WriteString("\n<li class=\"msg")
		if e.Bot {
			sb.WriteString(" bot")
		}
		sb.WriteString(`" id="`)
		sb.WriteString(html.EscapeString(e.ID))
		sb.WriteString(`"><div class="meta">`)
		if e.At.Set {
			sb.WriteString(`<time datetime="`)
			if u := e.At.UTC; len(u) == len(time.DateTime) && e.At.At.Location() == time.UTC {
				// e.At.At.Format("2006-01-02T15:04:05Z07:00") without the
				// layout parsing, once per message.
				sb.WriteString(u[:10])
				sb.WriteByte('T')
				sb.WriteString(u[11:])
				sb.WriteByte('Z')
			} else {
				sb.WriteString(e.At.At.Format("2006-01-02T15:04:05Z07:00"))
			}
			sb.WriteString(`">`)
			sb.WriteString(e.At.UTC)
			sb.WriteString("</time> ")
		}
		sb.WriteString("<b>")
		sb.WriteString(html.EscapeString(e.Author))
		sb.WriteString("</b>")
		if e.Bot {
			sb.WriteString(` <span class="tag">bot</span>`)
		}
		if e.Edited {
			sb.WriteString(` <span class="tag">edited</span>`)
		}
		if e.Permalink != "" {
			sb.WriteString(` <a href="`)
			sb.WriteString(html.EscapeString(e.Permalink))
			sb.WriteString(`">slack</a>`)
		}
		sb.WriteString("</div>\n")
		if e.Event != "" {
			sb.WriteString(`<div class="event">`)
			sb.WriteString(html.EscapeString(e.Event))
			sb.WriteString("</div>")
		} else {
			sb.WriteString(`<div class="body">`)
			sb.WriteString(string(e.Body))
			sb.WriteString("</div>")
		}
		if len(e.Files) > 0 {
			sb.WriteString("\n<ul class=\"files\">")
			for _, f := range e.Files {
				sb.WriteString("<li>")
				sb.WriteString(html.EscapeString(f))
				sb.WriteString("</li>")
			}
			sb.WriteString("</ul>")
		}
		if len(e.Reactions) > 0 {
			sb.WriteString("\n<div class=\"reactions\">")
			for j, r := range e.Reactions {
				if j > 0 {
					sb.WriteString(" · ")
				}
				sb.WriteString(html.EscapeString(r))
			}
			sb.WriteString("</div>")
		}
		if len(e.Replies) > 0 {
			sb.WriteString("\n<details><summary>")
			sb.WriteString(plural(int64(len(e.Replies)), "reply"))
			sb.WriteString("</summary>\n")
			writeTranscript(sb, e.Replies)
			sb.WriteString("\n</details>")
		}
		sb.WriteString("\n</li>")
	}
}

// entryID is a message's HTML id.
func entryID(ts archive.TS) string { return "m" + strconv.FormatInt(int64(ts), 10) }
