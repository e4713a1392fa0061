package jiratest

import (
	"strings"
	"testing"
)

func TestParseJQL(t *testing.T) {
	a := &Issue{Key: "OPS-1", Project: "OPS", Labels: []string{"wrapup-a1", "postmortem"}}
	b := &Issue{Key: "OPS-2", Project: "OPS", Labels: []string{"wrapup-b2"}}
	c := &Issue{Key: "ENG-1", Project: "ENG", Labels: []string{"wrapup-a1"}}
	tests := []struct {
		jql   string
		match string // keys matched, in order
		err   string
	}{
		{jql: `project = OPS`, match: "OPS-1 OPS-2"},
		{jql: `project = "ops" AND labels = "wrapup-a1"`, match: "OPS-1"},
		{jql: `project = OPS AND labels in ("wrapup-a1", 'wrapup-b2') ORDER BY created ASC`, match: "OPS-1 OPS-2"},
		{jql: `labels in (wrapup-a1)`, match: "OPS-1 ENG-1"},
		{jql: `key = OPS-2`, match: "OPS-2"},
		{jql: `issuekey != OPS-2 and project = OPS`, match: "OPS-1"},
		{jql: `labels not in ("wrapup-a1")`, match: "OPS-2"},
		{jql: `labels = "Wrapup-A1"`, match: ""},
		{jql: `labels in ("a"`, err: "Expecting ')' before the end of the query"},
		{jql: `summary ~ x`, err: "Field 'summary' does not exist"},
		{jql: `project = "OPS`, err: "has not been completed"},
		{jql: `project OPS`, err: "Expecting operator"},
		{jql: `project = OPS labels = x`, err: "Expecting either 'AND' or 'ORDER BY'"},
	}
	for _, tt := range tests {
		t.Run(tt.jql, func(t *testing.T) {
			q, err := parseJQL(tt.jql)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v; want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, is := range []*Issue{a, b, c} {
				if q.match(is) {
					got = append(got, is.Key)
				}
			}
			if strings.Join(got, " ") != tt.match {
				t.Errorf("matched %v; want %q", got, tt.match)
			}
		})
	}
}

func FuzzParseJQL(f *testing.F) {
	for _, s := range []string{`project = OPS AND labels in ("a","b") ORDER BY key`, `key = "x\"y"`, `labels not in (`, `'`, `!=`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := parseJQL(s)
		if err == nil {
			q.match(&Issue{Key: "OPS-1", Project: "OPS", Labels: []string{"x"}})
		}
	})
}
