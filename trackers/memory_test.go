package trackers_test

import (
	"testing"

	"github.com/wrapup/wrapup/trackers"
	"github.com/wrapup/wrapup/trackers/trackertest"
)

func TestMemoryContract(t *testing.T) {
	trackertest.Run(t, func(*testing.T) trackers.Tracker { return &trackers.Memory{} })
}
