package pipeline

import "github.com/wrapup/wrapup/trackers"

// TrackerFactory builds the tracker for one incident: trackers name the
// channel and link the postmortem, which a run knows only once started. It
// returns nil for tracker.kind none, and the concurrency filing may use.
// internal/wire builds it from the config.
type TrackerFactory func(channel, postmortemURL string) (trackers.Service, int, error)
