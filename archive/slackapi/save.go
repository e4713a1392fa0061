package slackapi

import (
	"fmt"

	"github.com/wrapup/wrapup/archive/slackexport"
)

// Save writes an export's archive into dir with slackexport.Write, then
// verifies the folder against the counts fetched: a manifest that says
// anything else fails the export.
func Save(dir string, r *Result, tool string) (*slackexport.Manifest, error) {
	if _, err := slackexport.Write(dir, r.Archive, slackexport.WriteOptions{Tool: tool}); err != nil {
		return nil, fmt.Errorf("writing %s: %w", dir, err)
	}
	man, err := slackexport.Verify(dir, &r.Counts)
	if err != nil {
		return nil, err
	}
	return man, nil
}
