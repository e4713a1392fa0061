package render

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/archivetest"
	"github.com/wrapup/wrapup/timeline"
)

// TestStreamTranscriptMatchesBuild: the transcript written chunk by
// chunk is the one buildTranscript builds whole, with the same redaction
// count, over many chunks, threads and secrets to redact.
func TestStreamTranscriptMatchesBuild(t *testing.T) {
	arc := archivetest.Generate(archivetest.Options{Messages: 3000, Threads: 120, Replies: 600,
		BotText: func(i int) string { return fmt.Sprintf("status %d: password hunter%d", i, i%10) }})
	if chunks := len(arc.Messages) / transcriptChunk; chunks < 8 {
		t.Fatalf("%d chunks: too few to test their order", chunks)
	}
	opts := testOptions(t)
	cfg := timeline.Defaults()
	rs, err := timeline.Compile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	tl, err := timeline.Build(arc, rs, timeline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	whole := newBuilder(arc, tl, opts)
	_, parts, n, err := whole.buildTranscript(arc.Messages, false)
	if err != nil {
		t.Fatal(err)
	}
	streamed := newBuilder(arc, tl, opts)
	got := bytes.NewBufferString("<p>")
	red, err := streamed.streamTranscript(got, &memMessages{arc: arc})
	if err != nil {
		t.Fatal(err)
	}
	if want := "<p>" + strings.Join(parts, ""); got.String() != want {
		t.Errorf("streamed transcript differs from the whole one (%d and %d bytes)", got.Len(), len(want))
	}
	if whole.redacted == 0 || red != whole.redacted {
		t.Errorf("redactions: streamed %d, whole %d; want the same, not 0", red, whole.redacted)
	}
	if c := transcriptCount(arc.Messages); c != n {
		t.Errorf("transcriptCount = %d, the transcript shows %d", c, n)
	}
}

// TestTranscriptFileStreams: past the limit, transcript.html is rendered
// as it is written. Written twice it gives the same bytes, which are the
// page around the transcript that buildTranscript builds whole; its
// secrets count once; a writer that fails stops it with the writer's
// error.
func TestTranscriptFileStreams(t *testing.T) {
	arc := archivetest.Generate(archivetest.Options{Messages: 2000, Threads: 60, Replies: 300,
		BotText: func(i int) string { return fmt.Sprintf("status %d: password hunter%d", i, i%10) }})
	opts := testOptions(t)
	opts.TranscriptLimit = 500
	tl := buildTimeline(t, arc, "chatops")
	out, err := Render(arc, tl, opts)
	if err != nil {
		t.Fatal(err)
	}
	var f OutFile
	for _, o := range out.Files {
		if o.Name == TranscriptFile {
			f = o
		}
	}
	if f.Stream == nil || f.Data != nil {
		t.Fatalf("transcript.html is not streamed: %+v", f.Name)
	}
	before := out.Redactions
	first, err := f.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	counted := out.Redactions - before
	second, err := f.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, second) {
		t.Error("two writes of transcript.html differ")
	}
	if out.Redactions-before != counted {
		t.Errorf("the second write counted its secrets again: %d, then %d", counted, out.Redactions-before)
	}
	_, parts, _, err := newBuilder(arc, tl, opts).buildTranscript(arc.Messages, false)
	if err != nil {
		t.Fatal(err)
	}
	body := strings.Join(parts, "")
	if !bytes.Contains(first, []byte(body)) || !bytes.HasPrefix(first, []byte("<!DOCTYPE html>")) || !bytes.HasSuffix(bytes.TrimSpace(first), []byte("</html>")) {
		t.Errorf("transcript.html (%d bytes) is not the page around the whole transcript (%d bytes)", len(first), len(body))
	}
	if counted == 0 || strings.Contains(string(first), "hunter3") {
		t.Errorf("the transcript's secrets: %d counted, shown: %v", counted, strings.Contains(string(first), "hunter3"))
	}

	boom := errors.New("disk full")
	if err := f.Stream(&failAfter{n: 64 << 10, err: boom}); !errors.Is(err, boom) {
		t.Errorf("a failing writer gave %v, want %v", err, boom)
	}
}

// failAfter takes n bytes, then fails.
type failAfter struct {
	n   int
	err error
}

func (w *failAfter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		return 0, w.err
	}
	w.n -= len(p)
	return len(p), nil
}

// TestMessageLink: the transcript's permalinks are timeline.Permalink's,
// for top-level messages, replies, thread parents and odd timestamps.
func TestMessageLink(t *testing.T) {
	arc := &archive.Archive{Channel: archive.Channel{ID: "C0INCIDENT1", Name: "incident"}}
	for _, ws := range []string{"https://acme.slack.com", "https://acme.slack.com/", "https://acme.enterprise.slack.com//"} {
		b := newBuilder(arc, &timeline.Timeline{}, Options{WorkspaceURL: ws})
		for _, c := range []struct{ ts, thread string }{
			{"1774539000.000000", ""}, {"1774539000.000100", "1774539000.000100"}, {"1774539123.456789", "1774539000.000100"},
			{"1.000001", ""}, {"0.000001", "1.5"}, {"9999999999.999999", "9999999999.999998"},
		} {
			m := &archive.Message{TS: archive.MustTS(c.ts)}
			if c.thread != "" {
				m.ThreadTS = archive.MustTS(c.thread)
			}
			want := ""
			if b.links {
				if p := timeline.Permalink(ws, arc.Channel.ID, m.TS, m.ThreadTS); p != nil {
					want = *p
				}
			}
			if got := b.messageLink(m); got != want || (b.links && got == "") {
				t.Errorf("%s ts %s thread %s: link %q, want %q", ws, c.ts, c.thread, got, want)
			}
		}
		if got := b.messageLink(&archive.Message{}); got != "" {
			t.Errorf("a message with no ts has the link %q", got)
		}
	}
}

// headOnly is arc without its messages: what a reader that never holds
// them gives Render, with Options.Messages.
func headOnly(arc *archive.Archive) *archive.Archive {
	return &archive.Archive{Channel: arc.Channel, Users: arc.Users, Warnings: arc.Warnings}
}

// countingMessages serves an archive's messages through Messages only,
// counting the calls, or failing them.
type countingMessages struct {
	mem     *memMessages
	threads atomic.Int64
	lookups int
	fail    error
}

func (c *countingMessages) Roots() int { return c.mem.Roots() }
func (c *countingMessages) Threads(lo, hi int) ([]*archive.Message, error) {
	c.threads.Add(1)
	if c.fail != nil {
		return nil, c.fail
	}
	return c.mem.Threads(lo, hi)
}
func (c *countingMessages) Lookup(ts archive.TS) (*archive.Message, error) {
	c.lookups++
	if c.fail != nil {
		return nil, c.fail
	}
	return c.mem.Lookup(ts)
}
func (c *countingMessages) Appendix() []*archive.Message { return c.mem.Appendix() }
func (c *countingMessages) Last() archive.TS             { return c.mem.Last() }
func (c *countingMessages) Count() int64                 { return c.mem.Count() }

// TestRenderFromMessages: Render given an archive without its messages and
// Options.Messages writes every file the archive holding them gives, byte
// for byte: the fixtures (pins, files, topics, threads), a channel long
// enough for transcript.html, and a custom template that lays out the
// entries itself. A failure to read messages is Render's, or the
// stream's, error.
func TestRenderFromMessages(t *testing.T) {
	long := archivetest.Generate(archivetest.Options{Messages: 1500, Threads: 60, Replies: 300})
	custom := t.TempDir()
	if err := os.WriteFile(filepath.Join(custom, "transcript.html.tmpl"),
		[]byte(`<!DOCTYPE html><title>{{.Title}}</title>{{range .Transcript}}<p id="{{.ID}}">{{.Author}}: {{.Body}}{{range .Replies}} / {{.Author}}{{end}}</p>{{end}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	type tc struct {
		name string
		arc  *archive.Archive
		tl   *timeline.Timeline
		opts Options
		pins bool
	}
	var cases []tc
	for _, f := range fixtures {
		arc := readFixture(t, f.name)
		cases = append(cases, tc{f.name, arc, buildTimeline(t, arc, f.preset), testOptions(t), len(arc.Channel.Pins) > 0})
	}
	longOpts := testOptions(t)
	longOpts.TranscriptLimit = 400
	cases = append(cases, tc{"long", long, buildTimeline(t, long, "chatops"), longOpts, false})
	customOpts := longOpts
	customOpts.Templates = custom
	cases = append(cases, tc{"custom transcript", long, buildTimeline(t, long, "chatops"), customOpts, false})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want, err := renderWhole(c.arc, c.tl, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			src := &countingMessages{mem: &memMessages{arc: c.arc}}
			opts := c.opts
			opts.Messages = src
			got, err := renderWhole(headOnly(c.arc), c.tl, opts)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Files) != len(want.Files) || got.Redactions != want.Redactions || got.Messages != want.Messages {
				t.Fatalf("%d files, %d redactions, %d messages; want %d, %d, %d", len(got.Files), got.Redactions, got.Messages, len(want.Files), want.Redactions, want.Messages)
			}
			for i := range want.Files {
				if got.Files[i].Name != want.Files[i].Name || !bytes.Equal(got.Files[i].Data, want.Files[i].Data) {
					t.Errorf("%s differs from the one rendered from the whole archive", want.Files[i].Name)
				}
			}
			if src.threads.Load() == 0 {
				t.Error("the transcript did not read the messages through Messages")
			}
			if c.pins && src.lookups == 0 {
				t.Error("the pins were not looked up through Messages")
			}
		})
	}

	boom := errors.New("day file gone")
	arc := readFixture(t, "chatops")
	tl := buildTimeline(t, arc, "chatops")
	opts := testOptions(t)
	opts.Messages = &countingMessages{mem: &memMessages{arc: arc}, fail: boom}
	if _, err := renderWhole(headOnly(arc), tl, opts); !errors.Is(err, boom) {
		t.Errorf("a failing Messages gave %v, want %v", err, boom)
	}
	opts = longOpts
	opts.Messages = &countingMessages{mem: &memMessages{arc: long}, fail: boom}
	if _, err := renderWhole(headOnly(long), buildTimeline(t, long, "chatops"), opts); !errors.Is(err, boom) {
		t.Errorf("a failing Messages under transcript.html gave %v, want %v", err, boom)
	}
}
