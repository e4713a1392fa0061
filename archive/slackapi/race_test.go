//go:build race

package slackapi_test

// raceEnabled: the race detector slows every call several times over, so
// wall-time bounds are not asserted under it.
const raceEnabled = true
