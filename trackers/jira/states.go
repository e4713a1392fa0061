package jira

import (
	"context"
	"errors"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	gojira "github.com/andygrunwald/go-jira"
	"github.com/wrapup/wrapup/trackers"
)

// stateFields are the only fields [Tracker.States] asks for: the fewer,
// the more issues Jira puts on a page.
var stateFields = []string{"status", "resolution", "resolutiondate"}

// issueKeyRE is the shape of a Jira issue key.
var issueKeyRE = regexp.MustCompile(`^[A-Z][A-Z0-9_]*-[1-9][0-9]*$`)

// notPlanned are the resolutions that close an issue without doing it:
// Jira Cloud's defaults (Won't Do, Duplicate, Cannot Reproduce), Data
// Center's (Won't Fix, Incomplete) and common custom ones. Any other
// resolution in the done category, or none, is done.
var notPlanned = map[string]bool{
	"won't do": true, "wont do": true, "won't fix": true, "wont fix": true, "wontfix": true,
	"duplicate": true, "cannot reproduce": true, "can't reproduce": true, "incomplete": true,
	"declined": true, "rejected": true, "obsolete": true, "not a bug": true, "abandoned": true,
	"out of scope": true, "won't implement": true,
}

// States asks Jira for the tickets' states with JQL `key in (...)`, one
// query per page of keys (Config.PageSize, default 100: what Jira Cloud
// puts on a page of issues with fields), on the same search endpoint as
// [Tracker.Lookup], asking only for status, resolution and
// resolutiondate. An issue whose status category is done is done, or
// not_planned when its resolution says so (Won't Do, Duplicate, ...);
// any other is open.
//
// Jira refuses a JQL naming a key it does not know (a deleted issue) as a
// whole, listing the keys: those are dropped and the query sent again,
// one more call. A moved issue answers under its new key, which no id
// names, so its old id is absent too, like an id that is no Jira key at
// all.
func (t *Tracker) States(ctx context.Context, ids []string) (map[string]trackers.TicketState, error) {
	now := time.Now
	if t.cfg.Now != nil {
		now = t.cfg.Now
	}
	asked := now().UTC()
	byKey := map[string][]string{} // key -> the ids naming it
	for _, id := range ids {
		k := strings.ToUpper(strings.TrimSpace(id))
		if issueKeyRE.MatchString(k) && !slices.Contains(byKey[k], id) {
			byKey[k] = append(byKey[k], id)
		}
	}
	keys := slices.Sorted(maps.Keys(byKey))
	out := map[string]trackers.TicketState{}
	size := t.pageSize()
	for start := 0; start < len(keys); start += size {
		issues, err := t.statesOf(ctx, keys[start:min(start+size, len(keys))])
		if err != nil {
			return nil, err
		}
		for _, is := range issues {
			st := ticketState(is, asked)
			for _, id := range byKey[strings.ToUpper(is.Key)] {
				out[id] = st
			}
		}
	}
	return out, nil
}

// statesOf runs one batch's query, again without the keys Jira says it
// does not know, until it answers.
func (t *Tracker) statesOf(ctx context.Context, keys []string) ([]gojira.Issue, error) {
	for len(keys) > 0 {
		quoted := make([]string, len(keys))
		for i, k := range keys {
			quoted[i] = quote(k)
		}
		issues, err := t.search(ctx, "key in ("+strings.Join(quoted, ", ")+")", stateFields...)
		if err == nil {
			return issues, nil
		}
		unknown := unknownKeys(err)
		rest := slices.DeleteFunc(slices.Clone(keys), func(k string) bool { return unknown[k] })
		if len(rest) == len(keys) {
			return nil, err
		}
		keys = rest
	}
	return nil, nil
}

// unknownKeyRE matches Jira's messages for a key in a JQL that no issue
// has: "An issue with key 'OPS-9' does not exist for field 'key'." and
// "The issue key 'x' for field 'key' is invalid."
var unknownKeyRE = regexp.MustCompile(`^(?:An issue with key '([^']+)' does not exist for field '[^']+'|The issue key '([^']*)' for field '[^']+' is invalid)\.?$`)

// unknownKeys returns the keys a search's error says Jira does not know.
func unknownKeys(err error) map[string]bool {
	var je *gojira.Error
	if !errors.As(err, &je) {
		return nil
	}
	keys := map[string]bool{}
	for _, m := range je.ErrorMessages {
		if sm := unknownKeyRE.FindStringSubmatch(strings.TrimSpace(m)); sm != nil {
			keys[strings.ToUpper(sm[1]+sm[2])] = true
		}
	}
	return keys
}

// ticketState reads an issue's state out of its fields.
func ticketState(is gojira.Issue, asked time.Time) trackers.TicketState {
	st := trackers.TicketState{State: trackers.StateOpen, CheckedAt: asked}
	f := is.Fields
	if f == nil || f.Status == nil || f.Status.StatusCategory.Key != gojira.StatusCategoryComplete {
		return st
	}
	st.State, st.Done = trackers.StateDone, true
	if f.Resolution != nil && notPlanned[strings.ToLower(strings.TrimSpace(strings.ReplaceAll(f.Resolution.Name, "’", "'")))] {
		st.State, st.Done = trackers.StateNotPlanned, false
	}
	if at := time.Time(f.Resolutiondate); !at.IsZero() {
		at = at.UTC()
		st.ResolvedAt = &at
	}
	return st
}
