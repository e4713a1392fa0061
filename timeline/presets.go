package timeline

import (
	"bytes"
	"embed"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

//go:embed presets/*.yaml
var presetFS embed.FS

// preset is one built-in rule set, as presets/<name>.yaml spells it.
type preset struct {
	Name        string            `yaml:"name"`
	Description string            `yaml:"description"`
	Statuses    map[string]string `yaml:"statuses"`
	Rules       []RuleConfig      `yaml:"rules"`

	statuses map[string]string // Statuses with lower-case keys
}

// Presets returns the names of the built-in presets, sorted.
func Presets() []string {
	entries, err := presetFS.ReadDir("presets")
	if err != nil {
		return nil
	}
	var names []string
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ".yaml"); ok {
			names = append(names, n)
		}
	}
	return names
}

// loadPreset reads and checks a built-in preset. Presets are embedded, so
// an error here is a bug in wrapup or an unknown name in the config.
func loadPreset(name string) (*preset, error) {
	b, err := presetFS.ReadFile("presets/" + name + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("timeline.presets: unknown preset %q (have %s)", name, strings.Join(Presets(), ", "))
	}
	p, err := parsePreset(b)
	if err != nil {
		return nil, fmt.Errorf("preset %s: %w", name, err)
	}
	if p.Name != name {
		return nil, fmt.Errorf("preset %s: file names itself %q", name, p.Name)
	}
	return p, nil
}

// parsePreset decodes a preset strictly: an unknown key is an error.
func parsePreset(b []byte) (*preset, error) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var p preset
	if err := dec.Decode(&p); err != nil && err != io.EOF {
		return nil, err
	}
	p.statuses = map[string]string{}
	for _, k := range slices.Sorted(maps.Keys(p.Statuses)) {
		v := p.Statuses[k]
		if !slices.Contains(canonicalStatuses, v) {
			return nil, fmt.Errorf("statuses: %q maps to %q, which is not a canonical status", k, v)
		}
		p.statuses[strings.ToLower(k)] = v
	}
	return &p, nil
}
