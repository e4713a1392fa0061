package slackapi

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/wrapup/wrapup/internal/atomicfile"
)

// checkpointer saves an export's state to one file, atomically and at most
// every so often: the file holds every message fetched, so rewriting it
// after each page would cost quadratic time on a big channel.
type checkpointer struct {
	path  string // "" when checkpoints are off
	every time.Duration

	mu   sync.Mutex // one writer at a time
	last time.Time
}

// CheckpointName is the checkpoint file's name for a channel, in
// ExportOptions.CheckpointDir.
func CheckpointName(channelID string) string {
	return ".wrapup-export-" + channelID + ".checkpoint.json"
}

func newCheckpointer(dir, channelID string, every time.Duration) *checkpointer {
	cp := &checkpointer{every: every, last: time.Now()}
	if dir != "" {
		cp.path = filepath.Join(dir, CheckpointName(channelID))
	}
	return cp
}

// load returns the saved checkpoint, or nil when there is none.
func (cp *checkpointer) load() ([]byte, error) {
	if cp.path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(cp.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return data, err
}

// maybeSave saves the state when the last save is old enough.
func (cp *checkpointer) maybeSave(s *state, channelID string) error {
	cp.mu.Lock()
	due := cp.path != "" && time.Since(cp.last) >= cp.every
	cp.mu.Unlock()
	if !due {
		return nil
	}
	return cp.save(s, channelID)
}

// save writes the state now, if it changed.
func (cp *checkpointer) save(s *state, channelID string) error {
	if cp.path == "" {
		return nil
	}
	cp.mu.Lock()
	defer cp.mu.Unlock()
	s.mu.Lock()
	dirty := s.dirty
	s.mu.Unlock()
	if !dirty {
		return nil
	}
	data, err := s.snapshot(channelID)
	if err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	if err := writeAtomic(cp.path, data); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	cp.last = time.Now()
	return nil
}

// remove deletes the checkpoint once the export is whole.
func (cp *checkpointer) remove() error {
	if cp.path == "" {
		return nil
	}
	if err := os.Remove(cp.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// writeAtomic writes data to path, whole or not at all, creating its
// folder first.
func writeAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	return atomicfile.Write(path, data, 0o600)
}
