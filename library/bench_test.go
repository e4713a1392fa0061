package library_test

import (
	"context"
	"testing"
	"time"

	"github.com/wrapup/wrapup/library"
)

// BenchmarkIndex1000 builds and renders the index over 1,000 incident
// folders (issue 15: under a second).
func BenchmarkIndex1000(b *testing.B) {
	dir := b.TempDir()
	write(b, dir, generate(1000, 36, genStart, 7))
	b.ResetTimer()
	start := time.Now()
	for b.Loop() {
		idx, err := library.Build(context.Background(), library.Options{Dir: dir, Now: genNow})
		if err != nil {
			b.Fatal(err)
		}
		docs, err := library.Render(idx, "")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := docs.Write(dir); err != nil {
			b.Fatal(err)
		}
	}
	per := time.Since(start) / time.Duration(b.N)
	b.ReportMetric(float64(per.Microseconds())/1000, "ms/index")
	b.ReportMetric(1000/per.Seconds(), "incidents/s")
	if per > time.Second {
		b.Errorf("one index over 1,000 incidents took %v, want under 1s", per)
	}
}
