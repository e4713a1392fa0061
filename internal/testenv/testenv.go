// Package testenv tells tests where shared test data lives and whether they
// run in CI, where a missing prerequisite is a failure and not a skip.
package testenv

import (
	"os"
	"path/filepath"
	"testing"
)

// CIEnv is set by .ci/run. Under it, a test that lacks something it needs
// fails instead of skipping.
const CIEnv = "WRAPUP_CI"

// InCI reports whether the tests run under .ci/run.
func InCI() bool { return os.Getenv(CIEnv) != "" }

// RepoRoot returns the folder holding go.mod, found upwards from the
// working directory.
func RepoRoot(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("no go.mod above the working directory")
		}
		dir = parent
	}
}

// Conformance returns ../shared/conformance beside the repository: real
// Slack exports and API recordings. Outside CI a test may run without it
// and is skipped; in CI its absence fails the test.
func Conformance(tb testing.TB) string {
	tb.Helper()
	dir := filepath.Join(RepoRoot(tb), "..", "shared", "conformance")
	if _, err := os.Stat(dir); err != nil {
		Require(tb, dir+" is missing: the conformance data lives in ../shared beside the repository")
	}
	return dir
}

// Require skips the test with why outside CI, and fails it in CI.
func Require(tb testing.TB, why string) {
	tb.Helper()
	if InCI() {
		tb.Fatalf("%s (and %s is set, so this is a failure)", why, CIEnv)
	}
	tb.Skipf("%s; skipped because os.Getenv(%q) is empty, as it is outside CI", why, CIEnv)
}
