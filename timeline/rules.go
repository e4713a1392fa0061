package timeline

import (
	"fmt"
	"maps"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"time"
)

// Ruleset is a compiled, validated configuration: the config's rules followed
// by the presets' rules, and the settings Build needs.
type Ruleset struct {
	rules           []*rule
	statuses        map[string]string // config's mapping, keys lower-case
	cadence         time.Duration
	reactions       []string
	markers         []string
	actionReactions []string
	workspaceURL    string
	markerByte      byte // an ASCII byte every marker holds, 0 if none
}

// Rules returns the names of the compiled rules in the order they are tried.
func (rs *Ruleset) Rules() []string {
	names := make([]string, len(rs.rules))
	for i, r := range rs.rules {
		names[i] = r.name
	}
	return names
}

// rule is one compiled rule with the cheap checks that rule a message out
// before its regexp runs.
type rule struct {
	name, kind, from, bot, subtype string
	preset                         string            // "" for the config's own rules
	statuses                       map[string]string // the preset's own mapping, keys lower-case
	re                             *regexp.Regexp
	groups                         map[string]int // group name -> submatch index
	set                            map[string]string

	// Prefilters: a message whose text lacks literal cannot match re.
	// anchored means re matches only at the start of the text, so the
	// literal must be a prefix.
	literal  string
	anchored bool

	requireReaction, reactionBy string
	ifChanged, once             bool
}

// Compile validates cfg and compiles its rules and presets. Errors name the
// rule (and the preset it comes from).
func Compile(cfg Config) (*Ruleset, error) {
	rs := &Ruleset{
		statuses:        map[string]string{},
		cadence:         cfg.UpdateCadence,
		reactions:       trimColons(cfg.Reactions),
		markers:         slices.Clone(cfg.Markers),
		actionReactions: trimColons(cfg.ActionReactions),
		workspaceURL:    strings.TrimRight(cfg.WorkspaceURL, "/"),
	}
	if cfg.UpdateCadence < 0 {
		return nil, fmt.Errorf("timeline.update_cadence: %s is negative", cfg.UpdateCadence)
	}
	for _, k := range slices.Sorted(maps.Keys(cfg.Statuses)) {
		v := cfg.Statuses[k]
		if !slices.Contains(canonicalStatuses, v) {
			return nil, fmt.Errorf("timeline.statuses: %q maps to %q, which is not one of %s", k, v, strings.Join(canonicalStatuses, ", "))
		}
		rs.statuses[strings.ToLower(k)] = v
	}
	for i, m := range cfg.Markers {
		if strings.TrimSpace(m) == "" {
			return nil, fmt.Errorf("action_items.markers[%d]: empty marker", i)
		}
	}
	rs.markerByte = commonByte(cfg.Markers)
	seen := map[string]string{}
	add := func(rc RuleConfig, where, preset string, statuses map[string]string) error {
		r, err := compileRule(rc, where)
		if err != nil {
			return err
		}
		if prev, dup := seen[r.name]; dup {
			return ruleError(where, "the name %q is already used by %s", r.name, prev)
		}
		seen[r.name] = where
		r.preset, r.statuses = preset, statuses
		rs.rules = append(rs.rules, r)
		return nil
	}
	for i, rc := range cfg.Rules {
		if err := add(rc, fmt.Sprintf("%q (timeline.rules[%d])", rc.Name, i), "", nil); err != nil {
			return nil, err
		}
	}
	for _, name := range cfg.Presets {
		p, err := loadPreset(name)
		if err != nil {
			return nil, err
		}
		for i, rc := range p.Rules {
			if err := add(rc, fmt.Sprintf("%q (preset %s, rules[%d])", rc.Name, name, i), name, p.statuses); err != nil {
				return nil, err
			}
		}
	}
	return rs, nil
}

func compileRule(rc RuleConfig, where string) (*rule, error) {
	r := &rule{name: rc.Name, kind: rc.Kind, from: rc.From, bot: rc.Bot, subtype: rc.Subtype,
		requireReaction: strings.Trim(rc.RequireReaction, ":"), reactionBy: rc.ReactionBy,
		ifChanged: rc.IfChanged, once: rc.Once, groups: map[string]int{}}
	if strings.TrimSpace(rc.Name) == "" {
		return nil, ruleError(where, "missing name")
	}
	if !slices.Contains(knownKinds, rc.Kind) {
		return nil, ruleError(where, "unknown kind %q (want one of %s)", rc.Kind, strings.Join(knownKinds, ", "))
	}
	switch rc.From {
	case "", "any":
		r.from = "any"
	case "bot", "human":
	default:
		return nil, ruleError(where, "unknown from %q (want bot, human or any)", rc.From)
	}
	switch rc.ReactionBy {
	case "", "any":
		r.reactionBy = "any"
	case "bot", "human":
		if r.requireReaction == "" {
			return nil, ruleError(where, "reaction_by %q without require_reaction", rc.ReactionBy)
		}
	default:
		return nil, ruleError(where, "unknown reaction_by %q (want bot, human or any)", rc.ReactionBy)
	}
	if rc.Subtype != "" && !knownSubtypes[rc.Subtype] {
		return nil, ruleError(where, "unknown subtype %q", rc.Subtype)
	}
	if len(rc.Pattern) > MaxPatternBytes {
		return nil, ruleError(where, "pattern: %d bytes, at most %d", len(rc.Pattern), MaxPatternBytes)
	}
	if rc.Pattern != "" {
		re, err := regexp.Compile(rc.Pattern)
		if err != nil {
			return nil, ruleError(where, "pattern: %w", err)
		}
		r.re = re
		for i, g := range re.SubexpNames() {
			if g == "" {
				continue
			}
			if !slices.Contains(knownGroups, g) {
				return nil, ruleError(where, "unknown group %q (want %s)", g, strings.Join(knownGroups, ", "))
			}
			r.groups[g] = i
		}
		r.literal, r.anchored = requiredLiteral(rc.Pattern)
	}
	for _, k := range slices.Sorted(maps.Keys(rc.Set)) {
		if !slices.Contains(knownGroups, k) {
			return nil, ruleError(where, "set: unknown group %q", k)
		}
	}
	r.set = maps.Clone(rc.Set)
	need := map[string][]string{KindStatus: {GroupStatus}, KindSeverity: {GroupSeverity}, KindRole: {GroupRole, GroupUser}}
	for _, g := range need[rc.Kind] {
		if _, ok := r.groups[g]; !ok && r.set[g] == "" {
			return nil, ruleError(where, "kind %s needs a %q group in its pattern or in set", rc.Kind, g)
		}
	}
	if rc.IfChanged && need[rc.Kind] == nil {
		return nil, ruleError(where, "if_changed applies only to status, severity and role rules")
	}
	return r, nil
}

// requiredLiteral finds a case-sensitive literal that every match of pattern
// contains, the longest it can see at the top level, and whether it must
// start the text. It never rejects a message the regexp would accept: when
// unsure it returns "".
func requiredLiteral(pattern string) (lit string, anchored bool) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return "", false
	}
	re = re.Simplify()
	for re.Op == syntax.OpCapture && len(re.Sub) == 1 {
		re = re.Sub[0]
	}
	parts := []*syntax.Regexp{re}
	if re.Op == syntax.OpConcat {
		parts = re.Sub
	}
	for i, p := range parts {
		for p.Op == syntax.OpCapture && len(p.Sub) == 1 {
			p = p.Sub[0]
		}
		if p.Op != syntax.OpLiteral || p.Flags&syntax.FoldCase != 0 {
			continue
		}
		s := string(p.Rune)
		startsText := i == 1 && parts[0].Op == syntax.OpBeginText
		if len(s) > len(lit) || (startsText && len(s) == len(lit)) {
			lit, anchored = s, startsText
		}
	}
	return lit, anchored
}

// prefilter reports whether text may match r's pattern.
func (r *rule) prefilter(text string) bool {
	switch {
	case r.literal == "":
		return true
	case r.anchored:
		return strings.HasPrefix(text, r.literal)
	}
	return strings.Contains(text, r.literal)
}

func trimColons(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = strings.Trim(n, ":")
	}
	return out
}

// commonByte is an ASCII punctuation byte that every marker contains (":"
// for the defaults), or 0. Case folding never changes punctuation.
func commonByte(markers []string) byte {
	if len(markers) == 0 {
		return 0
	}
	for _, c := range []byte(":-!#>") {
		all := true
		for _, m := range markers {
			all = all && strings.IndexByte(m, c) >= 0
		}
		if all {
			return c
		}
	}
	return 0
}
