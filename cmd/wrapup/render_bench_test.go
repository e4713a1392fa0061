package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/wrapup/wrapup/archive/archivetest"
	"github.com/wrapup/wrapup/archive/slackexport"
	"github.com/wrapup/wrapup/internal/testenv"
)

// The channel of issue 17: 100,000 messages, a fifth of them thread
// replies (5,000 threads of 4), about 32 MB of day files.
var render100k = archivetest.Options{Messages: 100_000, Threads: 5_000, Replies: 20_000}

// BenchmarkRender100k renders the 100,000-message channel of issue 17 with
// a built wrapup binary (wrapup render --from, Markdown and HTML with the
// transcript) and, in the same run, parses the same day files with
// jq -c '.[] | .ts'. It reports the ratio of the two wall times (the
// target is ≤ 1), each in seconds, the render's peak RSS in MB (the
// subprocess's, so that the benchmark's own memory does not count; the
// target is ≤ 200) and messages per second. Run it with
//
//	go test -run='^$' -bench=Render100k ./cmd/wrapup
//
// jq must be installed; without it the benchmark skips, or fails under CI.
func BenchmarkRender100k(b *testing.B) {
	jq, err := exec.LookPath("jq")
	if err != nil {
		testenv.Require(b, "jq is not installed (apt-get install jq)")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		testenv.Require(b, "the go command is not on PATH: the benchmark builds wrapup with it")
	}
	tmp := b.TempDir()
	bin := filepath.Join(tmp, "wrapup")
	build := exec.Command(gobin, "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}

	a := archivetest.Generate(render100k)
	export := filepath.Join(tmp, "export")
	man, err := slackexport.Write(export, a, slackexport.WriteOptions{Tool: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	total := man.Counts.Messages + man.Counts.Replies
	a = nil
	days, err := filepath.Glob(filepath.Join(export, man.Channel.Name, "*.json"))
	if err != nil || len(days) == 0 {
		b.Fatalf("no day files in %s: %v", export, err)
	}
	var dayBytes, largest int64
	for _, d := range days {
		st, err := os.Stat(d)
		if err != nil {
			b.Fatal(err)
		}
		dayBytes += st.Size()
		largest = max(largest, st.Size())
	}
	b.Logf("%d messages in %d day files, %.1f MB (largest %.1f MB)", total, len(days),
		float64(dayBytes)/(1<<20), float64(largest)/(1<<20))

	// wrapup runs with nothing of the user's: no config, no cache.
	home := filepath.Join(tmp, "home")
	if err := os.Mkdir(home, 0o700); err != nil {
		b.Fatal(err)
	}
	envv := []string{"HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, ".config"), "PATH=" + os.Getenv("PATH")}

	var jqTime, wrapupTime time.Duration
	var peakKiB int64
	b.ResetTimer()
	for b.Loop() {
		jqOut := filepath.Join(tmp, "jq.out")
		d, _ := timed(b, home, envv, jqOut, jq, append([]string{"-c", ".[] | .ts"}, days...)...)
		jqTime += d
		if out, err := os.ReadFile(jqOut); err != nil || bytes.Count(out, []byte("\n")) != total {
			b.Fatalf("jq printed %d timestamps, want %d (%v)", bytes.Count(out, []byte("\n")), total, err)
		}

		out := filepath.Join(tmp, "out")
		if err := os.RemoveAll(out); err != nil {
			b.Fatal(err)
		}
		d, ps := timed(b, home, envv, os.DevNull, bin, "render", "--from", export, "--out", out)
		wrapupTime += d
		if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
			peakKiB = max(peakKiB, int64(ru.Maxrss)) // KiB on Linux
		}
	}
	n := float64(b.N)
	b.ReportMetric(wrapupTime.Seconds()/jqTime.Seconds(), "wrapup/jq")
	b.ReportMetric(wrapupTime.Seconds()/n, "wrapup-s")
	b.ReportMetric(jqTime.Seconds()/n, "jq-s")
	b.ReportMetric(float64(peakKiB)/1024, "peak-RSS-MB")
	b.ReportMetric(float64(total)*n/wrapupTime.Seconds(), "msgs/s")
}

// timed runs a command in dir with stdout to the file out and returns its
// wall time and process state; a failure stops the benchmark with its
// stderr.
func timed(b *testing.B, dir string, env []string, out, name string, args ...string) (time.Duration, *os.ProcessState) {
	b.Helper()
	f, err := os.Create(out)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var stderr bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = dir, env, f, &stderr
	start := time.Now()
	err = cmd.Run()
	d := time.Since(start)
	if err != nil {
		b.Fatalf("%s: %v\n%s", filepath.Base(name), err, stderr.Bytes())
	}
	return d, cmd.ProcessState
}
