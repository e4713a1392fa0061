package render

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wrapup/wrapup/archive/archivetest"
	"github.com/wrapup/wrapup/timeline"
)

// TestAppendTranscriptMatchesBuild: the transcript built into its page
// chunk by chunk is the one buildTranscript builds whole, with the same
// redaction count, over many chunks, threads and secrets to redact.
func TestAppendTranscriptMatchesBuild(t *testing.T) {
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
	got, err := streamed.appendTranscript([]byte("<p>"), arc.Messages)
	if err != nil {
		t.Fatal(err)
	}
	if want := "<p>" + strings.Join(parts, ""); string(got) != want {
		t.Errorf("streamed transcript differs from the whole one (%d and %d bytes)", len(got), len(want))
	}
	if whole.redacted == 0 || streamed.redacted != whole.redacted {
		t.Errorf("redactions: streamed %d, whole %d; want the same, not 0", streamed.redacted, whole.redacted)
	}
	if c := transcriptCount(arc.Messages); c != n {
		t.Errorf("transcriptCount = %d, the transcript shows %d", c, n)
	}
}
