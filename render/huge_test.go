package render

import (
	"strings"
	"testing"

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/redact"
)

// hugeText is 10 MB of message text: words, a mention, markup and links,
// the way a pasted log looks.
func hugeText() string {
	line := "2026-03-26T14:02:11Z ERROR api-gateway p99=4s *upstream* timeout <@U02BOB> see <https://logs.example.com/q?id=1|logs> `trace`\n"
	return strings.Repeat(line, 10<<20/len(line))
}

// BenchmarkHugeMessage renders the chatops fixture with one 10 MB message
// added (issue 12, item 4: it took 13.5 s and 684 MB).
func BenchmarkHugeMessage(b *testing.B) {
	arc := readFixture(b, "chatops")
	var flat []*archive.Message
	for m := range arc.All() {
		flat = append(flat, m)
	}
	flat = append(flat, &archive.Message{TS: archive.MustTS("1774539000.000000"), Type: "message", User: "U02BOB", Text: hugeText()})
	arc.Messages, _ = archive.Thread(flat)
	tl := buildTimeline(b, arc, "chatops")
	opts := testOptions(b)
	opts.Redactor, _ = redact.New(true, nil)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := renderWhole(arc, tl, opts); err != nil {
			b.Fatal(err)
		}
	}
}
