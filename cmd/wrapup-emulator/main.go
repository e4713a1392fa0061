// Command wrapup-emulator serves emulations of the Slack Web API, Jira's
// REST API and GitHub's REST API on one loopback port, for tests, demos and
// users' own CI. The real clients (slack-go, go-jira, go-github) talk to it
// unchanged.
//
//	wrapup-emulator [--addr 127.0.0.1:0] [--seed PATH] [--demo] [--world FILE]
//	                [--rate-limits real|off] [--rate-scale N] [--token T] [--workspace-url URL]
//
// Its first line on stdout is "listening on http://127.0.0.1:PORT". Slack is
// under /api/, Jira under /rest/, GitHub under /api/v3/, and the admin API
// (stats, state, faults, and GitHub's hooks: github/merge, github/close,
// github/push) under /_emulator/.
//
// --world names a world file (YAML, see DESIGN "The emulator") describing
// the workspace and tracker setup to emulate, for example:
//
//	slack:
//	  app: distributed    # internal (default) | distributed
//	  bot_user: U0WRAPUP
//	jira:
//	  search_lag: 20s     # new issues stay invisible to search this long
//	  projects: [{key: PAY, issue_types: [Task, Bug], labels_on_screen: true}]
//	  users: [{account_id: "557058:alice", email: alice@acme.example, email_visible: false, assignable: [PAY]}]
//	github:
//	  repos: [{name: payments/incidents, push: true, assignable: [alice-gh]}]
//
// Projects, users or repos listed replace the defaults (Jira OPS, INC and
// SRE; GitHub acme/incidents, acme/postmortems and octo/ops), so a team can
// point its own wrapup.yaml at the emulator.
//
// With app: distributed, conversations.history and conversations.replies
// answer as Slack does for a commercially distributed app outside the
// Marketplace since 2025: pages of at most 15 messages and 1 call a minute
// per method. That minute holds even with --rate-limits off, and runs
// faster under --rate-scale. An unknown key or a bad value in the file
// is an error naming its line.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/wrapup/wrapup/archive/slackexport"
	"github.com/wrapup/wrapup/internal/demo"
	"github.com/wrapup/wrapup/internal/emustack"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "wrapup-emulator:", err)
		if errors.Is(err, errUsage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

var errUsage = errors.New("usage")

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("wrapup-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "address to listen on (loopback only)")
	seed := fs.String("seed", "", "a Slack export (zip or folder) whose channels become the workspace")
	withDemo := fs.Bool("demo", false, "add wrapup's bundled sample incident to the workspace")
	worldFile := fs.String("world", "", "a world file (YAML) describing the Slack app and the trackers to emulate")
	limits := fs.String("rate-limits", "off", "real: Slack's published tiers; off: none")
	scale := fs.Float64("rate-scale", 1, "speed the rate limits' clock up by this factor")
	token := fs.String("token", "", "the only token accepted (default: any non-empty token)")
	workspace := fs.String("workspace-url", "https://emulated.slack.com/", "Slack workspace URL for auth.test and permalinks")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if *limits != "real" && *limits != "off" {
		return fmt.Errorf("%w: --rate-limits must be real or off, not %q", errUsage, *limits)
	}
	host, _, err := net.SplitHostPort(*addr)
	if err != nil || !net.ParseIP(host).IsLoopback() && host != "localhost" {
		return fmt.Errorf("%w: --addr %q: the emulator listens on loopback only", errUsage, *addr)
	}
	var world *emustack.World
	if *worldFile != "" {
		if world, err = emustack.LoadWorld(*worldFile); err != nil {
			return err
		}
	}
	stack := emustack.New(emustack.Options{Token: *token, RateLimits: *limits == "real", RateScale: *scale,
		WorkspaceURL: *workspace, World: world})
	if *seed != "" {
		if err := seedExport(stack, *seed); err != nil {
			return err
		}
	}
	if *withDemo {
		tmp, err := os.MkdirTemp("", "wrapup-emulator-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		a, err := demo.Archive(tmp)
		if err != nil {
			return err
		}
		if err := stack.Seed(a); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "listening on http://%s\n", ln.Addr())
	srv := &http.Server{Handler: stack, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// seedExport adds every conversation of a Slack export to the workspace.
func seedExport(stack *emustack.Stack, path string) error {
	e, err := slackexport.Open(path, slackexport.Options{})
	if err != nil {
		return err
	}
	defer e.Close()
	for _, c := range e.Channels() {
		a, err := e.Read(c.ID)
		if err != nil {
			return err
		}
		if err := stack.Seed(a); err != nil {
			return err
		}
	}
	return nil
}
