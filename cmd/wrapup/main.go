// Command wrapup closes out a resolved Slack incident: it exports the
// channel, rebuilds the timeline, renders a postmortem draft, files the
// action items, posts one wrap-up message and archives the channel.
//
// Run "wrapup help" for the commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/wrapup/wrapup/internal/term"
)

func main() { os.Exit(mainCode()) }

// mainCode runs the command line with SIGINT and SIGTERM stopping it
// cleanly, and returns the exit status.
func mainCode() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	if ctx.Err() != nil && err != nil {
		// SIGINT or SIGTERM: the run stopped where it was; every step
		// is recorded, so the next run resumes.
		err = interrupted{err}
	}
	return exitCode(err, os.Stderr)
}

// interrupted is a run stopped by SIGINT or SIGTERM: exit status 130.
type interrupted struct{ err error }

func (e interrupted) Error() string {
	return "interrupted; run the same command again to resume (" + e.err.Error() + ")"
}
func (e interrupted) Unwrap() error { return e.err }

// Exit statuses, as DESIGN "Commands" gives them.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
	exitPartial = 3   // sweep finished, some channels failed
	exitSignal  = 130 // interrupted by SIGINT or SIGTERM, as shells count it
)

// usageError is a bad command line or config: exit status 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// errPartial says a sweep finished with some channels failed; it has
// already reported which.
var errPartial = errors.New("some channels failed")

// errHelp is returned when help was asked for and printed.
var errHelp = errors.New("help requested")

// exitCode decides the exit status in one place, and reports the error.
// An error may quote a name from Slack or an export: it is written
// without the control sequences a terminal would act on.
func exitCode(err error, stderr io.Writer) int {
	var usage usageError
	var intr interrupted
	switch {
	case err == nil, errors.Is(err, errHelp):
		return exitOK
	case errors.As(err, &intr):
		fmt.Fprintln(stderr, "wrapup:", term.Clean(err.Error()))
		return exitSignal
	case errors.Is(err, errPartial):
		return exitPartial
	case errors.As(err, &usage):
		fmt.Fprintln(stderr, "wrapup:", term.Clean(err.Error()))
		return exitUsage
	default:
		fmt.Fprintln(stderr, "wrapup:", term.Clean(err.Error()))
		return exitFailure
	}
}

// env is the process environment, injected so tests can set it.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	log            *slog.Logger // set from the command's logging flags
}

// command is one subcommand.
type command struct {
	name, summary string
	run           func(ctx context.Context, e env, args []string) error
}

func commands() []command {
	return []command{
		{"run", "the whole pipeline for one resolved incident channel", runRun},
		{"sweep", "wrap up every incident channel resolved past the grace period (for cron/CI)", runSweep},
		{"demo", "run everything on a bundled sample incident against built-in emulators", runDemo},
		{"render", "render the postmortem from a Slack export or archive folder, offline", runRender},
		{"index", "write the postmortem library: index.md and index.html over every incident folder", runIndex},
		{"check", "validate the config and check tokens, scopes and tracker access", runCheck},
		{"version", "print the version", runVersion},
		{"export", "export a channel from Slack into an archive folder", runExport},
		{"help", "show this help", nil},
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	e := env{stdout: stdout, stderr: stderr, getenv: getenv}
	if len(args) == 0 {
		printUsage(stderr)
		return usagef("no command given")
	}
	name := args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 && name == "help" {
			// "wrapup help run" is "wrapup run --help".
			for _, c := range commands() {
				if c.name == args[1] && c.run != nil {
					return c.run(ctx, e, []string{"-h"})
				}
			}
			printUsage(stderr)
			return usagef("no command %q to help with", args[1])
		}
		printUsage(stdout)
		return errHelp
	case "--version", "-version":
		name = "version"
	}
	for _, c := range commands() {
		if c.name == name && c.run != nil {
			return c.run(ctx, e, args[1:])
		}
	}
	printUsage(stderr)
	return usagef("unknown command %q", name)
}

func printUsage(w io.Writer) {
	fmt.Fprint(w, `wrapup closes out a resolved Slack incident channel: export, timeline,
postmortem, tickets, wrap-up message, archive.

Usage: wrapup <command> [flags]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Run "wrapup <command> -h" for a command's flags.
Exit status: 0 success, 1 failure, 2 usage or config error, 3 sweep finished with some channels failed,
130 interrupted (the next run resumes).
`)
}
