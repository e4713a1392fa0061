package pipeline

import "github.com/wrapup/wrapup/trackers"

// trackersLedger is the output folder's ticket ledger, in wrapup.json.
func trackersLedger(path string) *trackers.FileLedger { return &trackers.FileLedger{Path: path} }
