package pipeline

import (
	"cmp"
	"context"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wrapup/wrapup/internal/emulator"
	"github.com/wrapup/wrapup/internal/wire"
	"github.com/wrapup/wrapup/publish"
)

// killAt is a slog handler that stops a run where a test wants it: when
// the run logs the start of step, it arms the fault (a call that takes
// effect and whose answer hangs) and kills the run once the emulators
// have seen n more calls whose stats key starts with key; with no fault
// it kills the run at once, at the step's boundary.
type killAt struct {
	slog.Handler
	step  string
	fault *emulator.Fault
	key   string
	n     int

	e    *env
	t    *testing.T
	kill context.CancelFunc
	wg   *sync.WaitGroup
	once *sync.Once
}

func (k killAt) Handle(ctx context.Context, r slog.Record) error {
	if r.Message != "step" {
		return nil
	}
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "step" && a.Value.String() == k.step {
			k.once.Do(k.arm)
		}
		return true
	})
	return nil
}

func (k killAt) Enabled(context.Context, slog.Level) bool { return true }

func (k killAt) WithAttrs([]slog.Attr) slog.Handler { return k }
func (k killAt) WithGroup(string) slog.Handler      { return k }

func (k killAt) arm() {
	if k.fault == nil {
		k.kill()
		return
	}
	base := k.seen()
	if err := k.e.stack.Admin.SetFaults([]emulator.Fault{*k.fault}); err != nil {
		k.t.Error(err)
	}
	k.wg.Add(1)
	go func() {
		defer k.wg.Done()
		deadline := time.Now().Add(20 * time.Second)
		for k.seen() < base+k.n {
			if time.Now().After(deadline) {
				k.t.Errorf("no %d more calls of %s in 20s: the kill was not where the test meant it", k.n, k.key)
				break
			}
			time.Sleep(time.Millisecond)
		}
		k.kill()
	}()
}

func (k killAt) seen() int {
	n := 0
	for key, c := range k.e.stack.Admin.Stats().Calls {
		if strings.HasPrefix(key, k.key) {
			n += c
		}
	}
	return n
}

// TestPublishKillAndRerun: with publishing on, a run killed at the start
// of each step, and in the middle of publishing after each of its writes
// took effect (its answer lost), then run again (half the time without
// the output folder, as on a new CI runner), leaves one pull request on
// one branch, one wrap-up message naming it, and every ticket linked to
// the postmortem once.
func TestPublishKillAndRerun(t *testing.T) {
	const docs = "/repos/acme/postmortems"
	hang := func(method, path string) *emulator.Fault {
		return &emulator.Fault{Service: "github", Method: method, Path: path, Times: 1, Delay: emulator.Duration(time.Minute)}
	}
	points := []struct {
		name  string
		step  string
		fault *emulator.Fault
		key   string
		n     int
		lands string // the step the killed run's error names, when not step
	}{
		{name: "before export", step: StepExport},
		// The timeline and render steps call nothing: the kill lands in
		// the next step that calls out.
		{name: "before timeline", step: StepTimeline, lands: StepLedger},
		{name: "before ledger", step: StepLedger},
		{name: "before file", step: StepFile},
		{name: "before render", step: StepRender, lands: StepPublish},
		{name: "before publish", step: StepPublish},
		{name: "before update", step: StepUpdate},
		{name: "before archive", step: StepArchive},
		{name: "after a blob", step: StepPublish, fault: hang("POST", docs+"/git/blobs"), key: "github POST " + docs + "/git/blobs", n: 1},
		{name: "after the tree", step: StepPublish, fault: hang("POST", docs+"/git/trees"), key: "github POST " + docs + "/git/trees", n: 1},
		{name: "after the commit", step: StepPublish, fault: hang("POST", docs+"/git/commits"), key: "github POST " + docs + "/git/commits", n: 1},
		{name: "after the branch", step: StepPublish, fault: hang("POST", docs+"/git/refs"), key: "github POST " + docs + "/git/refs", n: 1},
		{name: "after the pull request", step: StepPublish, fault: hang("POST", docs+"/pulls"), key: "github POST " + docs + "/pulls", n: 1},
		{name: "after asking reviewers", step: StepPublish, fault: hang("POST", docs+"/pulls/*"), key: "github POST " + docs + "/pulls/", n: 1},
		{name: "after a ticket's link", step: StepPublish,
			fault: &emulator.Fault{Service: "jira", Method: "POST", Path: "/rest/api/2/issue/*", After: 1, Times: 1, Delay: emulator.Duration(time.Minute)},
			key:   "jira POST /rest/api/2/issue/", n: 2},
	}
	for i, p := range points {
		t.Run(p.name, func(t *testing.T) {
			e := newEnv(t)
			e.cfg.Publish.GitHub.Repo, e.cfg.Publish.GitHub.APIURL = "acme/postmortems", e.url
			e.cfg.Publish.GitHub.Reviewers = []string{"bob-gh"}
			getenv := func(k string) string {
				if k == "GITHUB_TOKEN" {
					return "gh-token"
				}
				return e.getenv(k)
			}
			pub, err := wire.Publisher(e.cfg, getenv, 1)
			if err != nil {
				t.Fatal(err)
			}
			ctx, kill := context.WithCancel(context.Background())
			var wg sync.WaitGroup
			h := killAt{Handler: slog.DiscardHandler, step: p.step, fault: p.fault, key: p.key, n: p.n,
				e: e, t: t, kill: kill, wg: &wg, once: &sync.Once{}}
			res, err := e.runCtx(t, ctx, func(o *Options) { o.Publisher, o.Log = pub, slog.New(h) })
			wg.Wait()
			kill()
			if err == nil {
				t.Fatalf("the killed run succeeded (notes %q)", res.Notes)
			}
			if want := cmp.Or(p.lands, p.step); !strings.HasPrefix(err.Error(), want+":") && !strings.HasPrefix(err.Error(), want+" ") {
				t.Errorf("killed in another step than %s: %v", want, err)
			}
			if err := e.stack.Admin.SetFaults(nil); err != nil {
				t.Fatal(err)
			}
			if i%2 == 1 {
				if err := os.RemoveAll(e.out); err != nil {
					t.Fatal(err)
				}
			}
			res, err = e.runCtx(t, context.Background(), func(o *Options) { o.Publisher = pub })
			if err != nil || !res.Archived {
				t.Fatalf("rerun: %v (notes %q)", err, res.Notes)
			}
			pulls := e.stack.GitHub.Pulls("acme/postmortems")
			if len(pulls) != 1 || pulls[0].State != "open" || !slices.Equal(pulls[0].Reviewers, []string{"bob-gh"}) {
				t.Errorf("pull requests: %+v", pulls)
			}
			if res.Publish == nil || res.PullRequest == "" {
				t.Fatalf("the rerun published nothing: %+v", res.Publish)
			}
			if b := e.stack.GitHub.Branches("acme/postmortems"); !slices.Equal(b, []string{"main", res.Publish.Branch}) {
				t.Errorf("branches %v", b)
			}
			if res.Publish.Branch != publish.Branch(res.Dir[strings.LastIndexAny(res.Dir, `/\`)+1:]) {
				t.Errorf("branch %s for folder %s", res.Publish.Branch, res.Dir)
			}
			posted, issues, archived := e.state(t)
			if posted != 1 || issues != 4 || !archived {
				t.Errorf("wrap-up messages %d, issues %d, archived %v", posted, issues, archived)
			}
			if st := mustJSON(t, e.stack.Admin.State()); !strings.Contains(st, res.PullRequest) {
				t.Errorf("the wrap-up message does not name %s", res.PullRequest)
			}
			for _, is := range e.stack.Jira.Issues() {
				c := 0
				for _, l := range is.RemoteLinks {
					if l.GlobalID == res.Postmortem {
						c++
					}
				}
				if c != 1 {
					t.Errorf("%s links the postmortem %d times: %+v", is.Key, c, is.RemoteLinks)
				}
			}
		})
	}
}
