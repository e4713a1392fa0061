package main

import (
	"flag"
	"io"
	"log/slog"
)

// logFlags are the logging flags of the commands that log: --quiet,
// --verbose and --log-format.
type logFlags struct {
	quiet, verbose bool
	format         string
}

func addLogFlags(fs *flag.FlagSet) *logFlags {
	l := &logFlags{}
	fs.BoolVar(&l.quiet, "quiet", false, "log warnings and errors only")
	fs.BoolVar(&l.verbose, "verbose", false, "log debug detail too")
	fs.StringVar(&l.format, "log-format", "text", "text (key=value lines) or json (one object a line)")
	return l
}

// apply sets e's logger from the flags; stderr gets the log.
func (l *logFlags) apply(e *env) error {
	level := slog.LevelInfo
	switch {
	case l.quiet && l.verbose:
		return usagef("--quiet and --verbose contradict each other")
	case l.quiet:
		level = slog.LevelWarn
	case l.verbose:
		level = slog.LevelDebug
	}
	opts := &slog.HandlerOptions{Level: level}
	switch l.format {
	case "text":
		e.log = slog.New(slog.NewTextHandler(e.stderr, opts))
	case "json":
		e.log = slog.New(slog.NewJSONHandler(e.stderr, opts))
	default:
		return usagef("--log-format must be text or json, not %q", l.format)
	}
	return nil
}

// logger is the command's logger: as the flags set it, else text at info.
func (e env) logger() *slog.Logger {
	if e.log != nil {
		return e.log
	}
	return defaultLogger(e.stderr)
}

func defaultLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}
