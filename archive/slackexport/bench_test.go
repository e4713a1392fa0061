package slackexport

import (
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/wrapup/wrapup/archive/archivetest"
)

// BenchmarkReadExport reads a generated 100k-message channel with 5k
// threads from a zip, and reports messages/s and the peak live heap as a
// multiple of the channel's JSON size.
func BenchmarkReadExport(b *testing.B) {
	a := archivetest.Generate(archivetest.Options{Messages: 100_000, Threads: 5_000})
	dir := filepath.Join(b.TempDir(), "export")
	man, err := Write(dir, a, WriteOptions{})
	if err != nil {
		b.Fatal(err)
	}
	var jsonBytes int64
	days, _ := filepath.Glob(filepath.Join(dir, a.Channel.Name, "*.json"))
	for _, d := range days {
		st, _ := os.Stat(d)
		jsonBytes += st.Size()
	}
	zipPath := filepath.Join(b.TempDir(), "export.zip")
	if err := archivetest.ZipDir(dir, zipPath, ""); err != nil {
		b.Fatal(err)
	}
	total := man.Counts.Messages + man.Counts.Replies
	a = nil
	runtime.GC()

	// One read under the heap watcher, outside the timed loop.
	peak := &heapPeak{}
	stop := peak.watch()
	if _, err := ReadChannel(zipPath, "C0SYNTH001", Options{}); err != nil {
		b.Fatal(err)
	}
	stop()

	b.ResetTimer()
	start := time.Now()
	for b.Loop() {
		got, err := ReadChannel(zipPath, "C0SYNTH001", Options{})
		if err != nil {
			b.Fatal(err)
		}
		if c := got.Counts(); c.Messages+c.Replies != total {
			b.Fatalf("read %+v, want %d messages", c, total)
		}
	}
	elapsed := time.Since(start)
	b.ReportMetric(float64(total)*float64(b.N)/elapsed.Seconds(), "msgs/s")
	b.ReportMetric(float64(jsonBytes)/(1<<20), "json_MB")
	b.ReportMetric(float64(peak.max)/float64(jsonBytes), "peak_heap/json")
}

// heapPeak samples the live heap while a read runs.
type heapPeak struct {
	max uint64
}

func (h *heapPeak) watch() (stop func()) {
	runtime.GC()
	base := heapNow()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if v := heapNow(); v > base && v-base > h.max {
					h.max = v - base
				}
			}
		}
	})
	return func() { close(done); wg.Wait() }
}

func heapNow() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}
