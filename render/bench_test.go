package render

import (
	"testing"
	"time"

	"github.com/wrapup/wrapup/archive/archivetest"
	"github.com/wrapup/wrapup/redact"
	"github.com/wrapup/wrapup/timeline"
)

// BenchmarkRender renders a generated 100k-message channel (5,000
// threads) as Markdown and HTML, the transcript included.
func BenchmarkRender(b *testing.B) {
	arc := archivetest.Generate(archivetest.Options{Messages: 100_000, Threads: 5_000})
	cfg := timeline.Defaults()
	cfg.WorkspaceURL = testWorkspace
	rs, err := timeline.Compile(cfg)
	if err != nil {
		b.Fatal(err)
	}
	tl, err := timeline.Build(arc, rs, timeline.Options{})
	if err != nil {
		b.Fatal(err)
	}
	red, err := redact.New(true, nil)
	if err != nil {
		b.Fatal(err)
	}
	opts := Options{Cadence: 30 * time.Minute, WorkspaceURL: testWorkspace, Redactor: red, Tool: "bench"}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	var out *Output
	size := 0
	for b.Loop() {
		if out, err = Render(arc, tl, opts); err != nil {
			b.Fatal(err)
		}
		size = 0
		for _, f := range out.Files {
			size += len(f.Data)
			if f.Stream != nil { // written as a writer would, and dropped
				c := &countWriter{}
				if err := f.Stream(c); err != nil {
					b.Fatal(err)
				}
				size += c.n
			}
		}
	}
	b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(out.Messages)*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(float64(size)/1e6, "MB-out")
}

// countWriter counts what is written and keeps none of it.
type countWriter struct{ n int }

func (c *countWriter) Write(p []byte) (int, error) {
	c.n += len(p)
	return len(p), nil
}
