package slackexport

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"
)

// channelsJSON lists the one channel the generated exports hold.
const channelsJSON = `[{"id":"C1","name":"c"}]`

// memPeak samples the runtime's memory while a read runs: the live heap
// and all the memory the runtime holds from the OS and has not returned
// (heap, stacks, metadata: close to the process's RSS), each above what
// it was when the watch began.
type memPeak struct {
	heap, total uint64
}

func (m *memPeak) watch() (stop func()) {
	debug.FreeOSMemory() // what an earlier read left is not this one's
	heap0, total0 := memNow()
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
				heap, total := memNow()
				m.heap = max(m.heap, heap-min(heap, heap0))
				m.total = max(m.total, total-min(total, total0))
			}
		}
	})
	return func() { close(done); wg.Wait() }
}

func memNow() (heap, total uint64) {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64(), s[1].Value.Uint64() - s[2].Value.Uint64()
}

// paddedDay is a day file of two messages with padBytes of whitespace
// between them; day numbers their timestamps.
func paddedDay(day int, padBytes int64) bombFile {
	return bombFile{name: fmt.Sprintf("c/2026-01-%02d.json", day), pad: ' ', padBytes: padBytes,
		prefix: fmt.Sprintf(`[{"ts":"%d.000001","text":"before"},`, day),
		suffix: fmt.Sprintf(`{"ts":"%d.000002","text":"after"}]`, day)}
}

// TestPaddingCostsNoMemory: whitespace between messages, channels and
// users is skipped as it is read. The read used to hold each file whole
// (issue 12, item 4).
func TestPaddingCostsNoMemory(t *testing.T) {
	const pad = 128 << 20
	z := writeBomb(t, t.TempDir(), []bombFile{
		{name: "channels.json", prefix: `[{"id":"C1","name":"c"}`, pad: '\n', padBytes: pad, suffix: `]`},
		{name: "users.json", prefix: `[{"id":"U0","name":"zed"},`, pad: '\t', padBytes: pad, suffix: `{"id":"U1","name":"ann"}]`},
		paddedDay(1, pad), paddedDay(2, pad)})
	peak := &memPeak{}
	stop := peak.watch()
	a, err := ReadChannel(z, "c", Options{})
	stop()
	if err != nil {
		t.Fatal(err)
	}
	if c := a.Counts(); c.Messages != 4 {
		t.Errorf("read %+v, want 4 messages", c)
	}
	if peak.heap > pad/8 {
		t.Errorf("reading 4 files of %d MB of padding took %d MB of heap, want under %d", pad>>20, peak.heap>>20, pad/8>>20)
	}
}

// TestMessageTooLarge: one element of a day file is bounded, its inner
// whitespace included, and the error names the file and the message.
func TestMessageTooLarge(t *testing.T) {
	day := bombFile{name: "c/2026-01-01.json", prefix: `[{"ts":"1.000001"},{"ts":"2.000001","text":"x"`,
		pad: ' ', padBytes: MaxMessageBytes, suffix: `}]`}
	z := writeBomb(t, t.TempDir(), []bombFile{{name: "channels.json", prefix: channelsJSON}, day})
	_, err := ReadChannel(z, "c", Options{})
	if !errors.Is(err, ErrMessageTooLarge) || !strings.Contains(err.Error(), "c/2026-01-01.json: byte 19: message 1 is more than") {
		t.Errorf("err = %v, want ErrMessageTooLarge naming the file, the byte and message 1", err)
	}
}

// TestBudgetChargedBeforeReading: the day files' declared sizes are
// charged before any is read, so an export declaring more than the budget
// is refused naming its channel folder, not after reading a day file.
func TestBudgetChargedBeforeReading(t *testing.T) {
	z := writeBomb(t, t.TempDir(), []bombFile{{name: "channels.json", prefix: channelsJSON},
		paddedDay(1, 1<<20), paddedDay(2, 1<<20)})
	_, err := ReadChannel(z, "c", Options{MaxBytes: 3 << 20 / 2})
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "bomb.zip/c: ") {
		t.Errorf("err = %v, want ErrTooLarge naming the folder c", err)
	}
}

// lyingFile is a file that holds more than it declares.
type lyingFile struct {
	io.Reader
}

func (lyingFile) Stat() (fs.FileInfo, error) { return nil, errors.New("no stat") }
func (lyingFile) Close() error               { return nil }

// TestChargedReaderCounts: bytes past the declared size are charged as
// they are read, so a size that lies cannot take more than the budget.
func TestChargedReaderCounts(t *testing.T) {
	s := &source{name: "x.zip"}
	s.budget.Store(100)
	r := &chargedReader{f: lyingFile{strings.NewReader(strings.Repeat("a", 1000))}, src: s, name: "c/d.json", left: 10}
	n, err := io.Copy(io.Discard, r)
	if !errors.Is(err, ErrTooLarge) || n > 110 {
		t.Errorf("read %d bytes with 10 declared and 100 left, err %v; want ErrTooLarge by byte 110", n, err)
	}
}

// BenchmarkZipBombs reads the zip bombs of issue 12 and reports the peak
// memory each takes (peak_heap_MB: live objects; peak_total_MB: all the
// runtime holds from the OS). Each must stay under 300 MB:
//
//   - two-days: a 3 MB zip of two 1.5 GB day files, whitespace around two
//     messages each; read under a 2 GB budget it is refused up front with
//     ErrTooLarge, under the default one it reads four messages;
//   - padded-message: one message padded past MaxMessageBytes, refused
//     with ErrMessageTooLarge;
//   - 10MB-message: one message with 10 MB of text, read.
func BenchmarkZipBombs(b *testing.B) {
	const dayBytes = 1430 * padChunk // 1.5 GB
	dir := b.TempDir()
	twoDays := writeBomb(b, dir, []bombFile{{name: "channels.json", prefix: channelsJSON},
		paddedDay(1, dayBytes), paddedDay(2, dayBytes)})
	padded := writeBomb(b, b.TempDir(), []bombFile{{name: "channels.json", prefix: channelsJSON},
		{name: "c/2026-01-01.json", prefix: `[{"ts":"1.000001","text":"x","padding":"`, pad: 'a', padBytes: dayBytes, suffix: `"}]`}})
	huge := writeBomb(b, b.TempDir(), []bombFile{{name: "channels.json", prefix: channelsJSON},
		{name: "c/2026-01-01.json", prefix: `[{"ts":"1.000001","text":"`, pad: 'a', padBytes: 10 << 20, suffix: `"}]`}})
	for _, bc := range []struct {
		name    string
		zip     string
		opts    Options
		wantErr error
		want    int
	}{
		{"two-days/over-budget", twoDays, Options{MaxBytes: 2e9}, ErrTooLarge, 0},
		{"two-days/under-budget", twoDays, Options{}, nil, 4},
		{"padded-message", padded, Options{}, ErrMessageTooLarge, 0},
		{"10MB-message", huge, Options{}, nil, 1},
	} {
		b.Run(bc.name, func(b *testing.B) {
			peak := &memPeak{}
			stop := peak.watch()
			for b.Loop() {
				a, err := ReadChannel(bc.zip, "c", bc.opts)
				if !errors.Is(err, bc.wantErr) {
					b.Fatalf("err = %v, want %v", err, bc.wantErr)
				}
				if err == nil && a.Counts().Messages != bc.want {
					b.Fatalf("read %+v, want %d messages", a.Counts(), bc.want)
				}
			}
			stop()
			b.ReportMetric(float64(peak.heap)/(1<<20), "peak_heap_MB")
			b.ReportMetric(float64(peak.total)/(1<<20), "peak_total_MB")
			if peak.total > 300<<20 {
				b.Errorf("peak memory %d MB, want under 300", peak.total>>20)
			}
		})
	}
}

// TestLyingZipCounted: a day file that holds more than its zip header
// declares is stopped by counting, with the error naming it once.
func TestLyingZipCounted(t *testing.T) {
	dir := t.TempDir()
	z := writeBomb(t, dir, []bombFile{{name: "channels.json", prefix: channelsJSON}, paddedDay(1, 4<<20)})
	src, err := openSource(z, Options{MaxBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	e := &Export{src: src}
	_, err = e.readDay("c/2026-01-01.json", 100) // as if the header said 100 bytes
	if !errors.Is(err, ErrTooLarge) || strings.Count(err.Error(), "2026-01-01.json") != 1 {
		t.Errorf("err = %v, want ErrTooLarge naming the file once", err)
	}
}
