//go:build !unix

package render

import "time"

// cpuTime is unknown here; the benchmark then reports 0.
func cpuTime() time.Duration { return 0 }
