package preflight

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseScopes(t *testing.T) {
	tests := []struct {
		name, header string
		want         []string
	}{
		{"slack", "users:read,channels:history,chat:write", []string{"channels:history", "chat:write", "users:read"}},
		{"github style", "repo, workflow", []string{"repo", "workflow"}},
		{"empty", "", nil},
		{"stray commas and repeats", ",a,,a, b ,", []string{"a", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, parseScopes(tt.header)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzParseScopes: whatever the header, the scopes come out sorted,
// unique, trimmed and free of separators.
func FuzzParseScopes(f *testing.F) {
	for _, s := range []string{"users:read,channels:history", "repo, workflow", "", ",,", " a , a "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		got := parseScopes(h)
		if !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != len(got) {
			t.Errorf("parseScopes(%q) = %q: not sorted and unique", h, got)
		}
		for _, s := range got {
			if s == "" || strings.Contains(s, ",") || strings.TrimSpace(s) != s {
				t.Errorf("parseScopes(%q) holds %q", h, s)
			}
		}
	})
}
