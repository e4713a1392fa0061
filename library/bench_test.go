package library_test

import (
	"context"
	"testing"
	"time"

	"github.com/wrapup/wrapup/library"
)

// BenchmarkIndex1000 builds and renders the index over 1,000 incident
// folders and writes it (issue 15: under a second), reporting ms/op and
// incidents/s. The bound is checked here, in the benchmark, not in a
// test, where a loaded machine could make it flake; it stands about
// five times above the figure measured on a shared 2-core machine.
func BenchmarkIndex1000(b *testing.B) {
	const n = 1000
	dir := b.TempDir()
	write(b, dir, generate(n, 36, genStart, 7))
	for b.Loop() {
		idx, err := library.Build(context.Background(), library.Options{Dir: dir, Now: genNow})
		if err != nil {
			b.Fatal(err)
		}
		if len(idx.Incidents) != n {
			b.Fatalf("the index has %d incidents, want %d", len(idx.Incidents), n)
		}
		docs, err := library.Render(idx, "")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := docs.Write(dir); err != nil {
			b.Fatal(err)
		}
	}
	per := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(per.Microseconds())/1000, "ms/op")
	b.ReportMetric(n/per.Seconds(), "incidents/s")
	if per > time.Second {
		b.Errorf("one index over %d incidents took %v, want under 1s", n, per)
	}
}
