package redact

import (
	"strings"
	"testing"
)

// BenchmarkRedactHuge redacts one 10 MB message of log lines with links
// and mentions: every rule's prefilter passes, so each scans it all.
func BenchmarkRedactHuge(b *testing.B) {
	line := "2026-03-26T14:02:11Z ERROR api-gateway p99=4s *upstream* timeout <@U02BOB> see <https://logs.example.com/q?id=1|logs> `trace`\n"
	text := strings.Repeat(line, 10<<20/len(line))
	r, _ := New(true, nil)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		_ = r.String(text)
	}
}
