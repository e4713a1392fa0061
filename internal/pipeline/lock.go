package pipeline

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
)

// ErrLocked stops a run on a channel that another run on this machine is
// working on: it holds the channel's lock file.
var ErrLocked = errors.New("another wrapup run on this machine is working on this channel")

// LockDir is where the per-channel lock files live by default: the user's
// runtime directory ($XDG_RUNTIME_DIR), else the temporary directory.
func LockDir() string {
	if d := os.Getenv("XDG_RUNTIME_DIR"); d != "" {
		return filepath.Join(d, "wrapup")
	}
	return filepath.Join(os.TempDir(), fmt.Sprintf("wrapup-%d", os.Getuid()))
}

var lockName = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// lockChannel takes the machine-wide lock on a channel (by ID, or by the
// name the user gave before it is resolved), without waiting: a second run
// stops before it calls Slack. The lock dies with its process, so a run
// that was killed leaves nothing to clean up.
func lockChannel(dir, key string) (release func(), err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("lock directory: %w", err)
	}
	path := filepath.Join(dir, "channel-"+lockName.ReplaceAllString(key, "_")+".lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock file: %w", err)
	}
	held, err := tryLock(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("locking %s: %w", path, err)
	}
	if !held {
		f.Close()
		return nil, fmt.Errorf("%w (%s is held)", ErrLocked, path)
	}
	return func() { f.Close() }, nil
}
