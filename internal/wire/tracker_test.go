package wire

import (
	"strings"
	"testing"

	"github.com/wrapup/wrapup/internal/config"
)

// TestTracker: the factory builds nothing for kind none, and says which
// variable is empty or which kind is unknown, before any run posts.
func TestTracker(t *testing.T) {
	cfg := config.Default()
	none := func(string) string { return "" }
	if svc, _, err := Tracker(cfg, none, "none", 0)("incident-x", ""); svc != nil || err != nil {
		t.Errorf("kind none: %v, %v", svc, err)
	}
	for kind, want := range map[string]string{"jira": "$JIRA_TOKEN is empty", "github": "$GITHUB_TOKEN is empty", "gitlab": `unknown tracker kind "gitlab"`} {
		if _, _, err := Tracker(cfg, none, kind, 0)("incident-x", ""); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("kind %s: %v, want %q", kind, err, want)
		}
	}
}
