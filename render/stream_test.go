package render

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
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
	got := &appendWriter{[]byte("<p>")}
	red, err := streamed.streamTranscript(got, arc.Messages)
	if err != nil {
		t.Fatal(err)
	}
	if want := "<p>" + strings.Join(parts, ""); string(got.b) != want {
		t.Errorf("streamed transcript differs from the whole one (%d and %d bytes)", len(got.b), len(want))
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
