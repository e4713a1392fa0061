package slackapi_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/wrapup/wrapup/archive/archivetest"
	"github.com/wrapup/wrapup/archive/slackapi"
	"github.com/wrapup/wrapup/archive/slacktest"
	"github.com/wrapup/wrapup/internal/emulator"
)

// TestFaults injects failures in the middle of history and replies: the
// export must retry through them and come out identical.
func TestFaults(t *testing.T) {
	seed := archivetest.Generate(archivetest.Options{Messages: 400, Threads: 30})
	for _, tc := range []struct {
		name   string
		faults []emulator.Fault
	}{
		{"429 storm on replies", []emulator.Fault{{Service: "slack", Method: "conversations.replies", After: 3, Times: 2, Status: 429, RetryAfter: 1}}},
		{"5xx in history", []emulator.Fault{{Service: "slack", Method: "conversations.history", Times: 2, Status: 503}}},
		{"5xx in replies", []emulator.Fault{{Service: "slack", Method: "conversations.replies", After: 5, Times: 3, Status: 500}}},
		{"slack internal_error", []emulator.Fault{{Service: "slack", Method: "conversations.replies", After: 2, Times: 1, Error: "internal_error"}}},
		{"timeout in history", []emulator.Fault{{Service: "slack", Method: "conversations.history", Times: 1, Delay: emulator.Duration(3 * time.Second)}}},
		{"timeout in replies", []emulator.Fault{{Service: "slack", Method: "conversations.replies", After: 4, Times: 2, Delay: emulator.Duration(3 * time.Second)}}},
		{"body cut in history", []emulator.Fault{{Service: "slack", Method: "conversations.history", After: 0, Times: 1, Truncate: true}}},
		{"body cut in replies", []emulator.Fault{{Service: "slack", Method: "conversations.replies", After: 7, Times: 1, Truncate: true}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := start(t, slacktest.Options{}, seed)
			e.c = slackapi.New(token, slackapi.Options{APIURL: e.url, Limiter: slackapi.NewLimiter(1e6),
				Backoff: 5 * time.Millisecond, CallTimeout: time.Second})
			e.faults(t, tc.faults...)
			res, got := export(t, e.c, seed.Channel.ID, slackapi.ExportOptions{})
			if d := diffMessages(seed, got); d != "" {
				t.Errorf("archive differs from the seed (-seed +exported):\n%s", d)
			}
			if res.Stats.Retries == 0 {
				t.Errorf("no retries: the fault did not bite")
			}
		})
	}
}

func TestRetriesAreBounded(t *testing.T) {
	e := start(t, slacktest.Options{}, flatChannel(t, "C0DOWN", 5))
	e.faults(t, emulator.Fault{Service: "slack", Method: "conversations.history", Status: 502})
	_, err := e.c.Export(t.Context(), "C0DOWN", slackapi.ExportOptions{})
	if err == nil || !contains(err.Error(), "giving up after 6 attempts") {
		t.Fatalf("err = %v, want giving up", err)
	}
	if n := e.srv.Admin().Stats().Calls["conversations.history"]; n != 6 {
		t.Errorf("%d history calls, want 6", n)
	}
}

// TestRevokedResume revokes the token mid-run: the export fails cleanly
// keeping a checkpoint, and a rerun finishes from it without starting over.
func TestRevokedResume(t *testing.T) {
	seed := archivetest.Generate(archivetest.Options{Messages: 600, Threads: 60})
	dir := t.TempDir()
	opts := slackapi.ExportOptions{CheckpointDir: dir, Concurrency: 2}

	fresh := start(t, slacktest.Options{}, seed)
	export(t, fresh.c, seed.Channel.ID, slackapi.ExportOptions{})
	whole, _ := fresh.calls()

	e := start(t, slacktest.Options{}, seed)
	e.faults(t, emulator.Fault{Service: "slack", After: 30, Error: "token_revoked"})
	_, err := e.c.Export(t.Context(), seed.Channel.ID, opts)
	if !errors.Is(err, slackapi.ErrAuth) || !contains(err.Error(), "token_revoked") {
		t.Fatalf("err = %v, want the token refused", err)
	}
	cp := filepath.Join(dir, slackapi.CheckpointName(seed.Channel.ID))
	st, serr := os.Stat(cp)
	if serr != nil {
		t.Fatalf("no checkpoint after the failure: %v", serr)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("checkpoint mode %v, want 0600", st.Mode().Perm())
	}
	before, _ := e.calls()

	e.faults(t) // the token works again
	res, got := export(t, e.c, seed.Channel.ID, opts)
	after, _ := e.calls()
	if !res.Resumed {
		t.Errorf("the rerun did not resume")
	}
	if d := diffMessages(seed, got); d != "" {
		t.Errorf("archive differs from the seed (-seed +exported):\n%s", d)
	}
	// The failed run made 30 good calls; the rerun needs only the rest,
	// plus conversations.info, pins.list and bookmarks.list again, and the
	// threads that were in flight (Concurrency of them) when it failed.
	if rerun := after - before; rerun > whole-30+3+opts.Concurrency {
		t.Errorf("the rerun made %d calls; from scratch takes %d, and %d were done before the failure", rerun, whole, 30)
	}
	if _, err := os.Stat(cp); !os.IsNotExist(err) {
		t.Errorf("checkpoint left after success: %v", err)
	}
}

func TestCanceledKeepsCheckpoint(t *testing.T) {
	seed := archivetest.Generate(archivetest.Options{Messages: 800, Threads: 40})
	dir := t.TempDir()
	e := start(t, slacktest.Options{}, seed)
	e.faults(t, emulator.Fault{Service: "slack", Method: "conversations.replies", After: 10, Delay: emulator.Duration(time.Hour)})
	ctx, cancel := contextWithTimeout(t, 500*time.Millisecond)
	defer cancel()
	_, err := e.c.Export(ctx, seed.Channel.ID, slackapi.ExportOptions{CheckpointDir: dir, Concurrency: 1})
	if err == nil {
		t.Fatal("export finished despite the cancel")
	}
	e.faults(t)
	res, got := export(t, e.c, seed.Channel.ID, slackapi.ExportOptions{CheckpointDir: dir})
	if !res.Resumed {
		t.Errorf("did not resume")
	}
	if d := cmp.Diff(tsList(seed), tsList(got)); d != "" {
		t.Errorf("messages (-seed +exported):\n%s", d)
	}
}
