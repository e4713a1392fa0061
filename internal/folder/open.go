package folder

import (
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// StagingName is the folder a new run works in (under the output folder)
// until the timeline gives the incident its date and so its Name.
func StagingName(channelID string) string { return ".wrapup-" + channelID }

// Open finds the incident folder a previous run left for the channel, by
// the channel ID in its record: a folder named *-<channel name>, or the
// staging one. With none, it names the staging folder and a new record
// (nothing is created until the run writes).
func Open(outDir, channelID, channelName string) (dir string, rec *Record, err error) {
	matches, _ := filepath.Glob(filepath.Join(outDir, "*-"+SafeName(channelName), RecordName))
	matches = append(matches, filepath.Join(outDir, StagingName(channelID), RecordName))
	for _, m := range matches {
		rec, err := LoadRecord(m)
		if err != nil {
			return "", nil, err
		}
		if rec.Channel.ID == channelID {
			return filepath.Dir(m), rec, nil
		}
	}
	return filepath.Join(outDir, StagingName(channelID)), &Record{Schema: RecordSchema, Steps: map[string]time.Time{}}, nil
}

// Promote moves a run's staging folder to its final place, and refuses a
// final place that is there already: it belongs to another run (Open would
// have found it by the channel's ID).
func Promote(staging, final, channelID string) error {
	if _, err := os.Stat(final); err == nil {
		return fmt.Errorf("%s exists but belongs to another run (no %s for channel %s in it)", final, RecordName, channelID)
	}
	return os.Rename(staging, final)
}
