package jira

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	gojira "github.com/andygrunwald/go-jira"
	"github.com/wrapup/wrapup/timeline"
	"github.com/wrapup/wrapup/trackers"
)

// lookupBatch bounds the labels of one query, to keep the JQL short; an
// incident's items fit in one.
const lookupBatch = 100

// Lookup finds the issues labelled wrapup-<key>, with one JQL query
// (labels in (...)) per batch of keys, following the pages.
func (t *Tracker) Lookup(ctx context.Context, keys []string) (map[string]timeline.Ticket, error) {
	want := map[string]bool{}
	for _, k := range keys {
		if !labelRE.MatchString(k) {
			return nil, trackers.Permanent(fmt.Errorf("item key %q cannot be a Jira label", k))
		}
		want[k] = true
	}
	got := map[string]timeline.Ticket{}
	uniq := slices.Sorted(func(yield func(string) bool) {
		for k := range want {
			if !yield(k) {
				return
			}
		}
	})
	for start := 0; start < len(uniq); start += lookupBatch {
		batch := uniq[start:min(start+lookupBatch, len(uniq))]
		issues, err := t.search(ctx, t.jql(batch), "labels")
		if err != nil {
			return nil, err
		}
		for _, is := range issues {
			if is.Fields == nil {
				continue
			}
			for _, l := range is.Fields.Labels {
				k, ok := strings.CutPrefix(l, LabelPrefix)
				if _, seen := got[k]; ok && want[k] && !seen {
					got[k] = timeline.Ticket{Tracker: "jira", ID: is.Key, URL: t.base + "/browse/" + is.Key}
				}
			}
		}
	}
	return got, nil
}

// jql is the query for a batch of keys. Issues come oldest first, so that
// if a key were ever filed twice, the first issue wins every time.
func (t *Tracker) jql(keys []string) string {
	labels := make([]string, len(keys))
	for i, k := range keys {
		labels[i] = quote(LabelPrefix + k)
	}
	cond := "labels = " + labels[0]
	if len(labels) > 1 {
		cond = "labels in (" + strings.Join(labels, ", ") + ")"
	}
	return fmt.Sprintf("project = %s AND %s ORDER BY created ASC", quote(t.cfg.Project), cond)
}

func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// search runs a query on the endpoint that works: /search/jql on Cloud,
// /search on Data Center; a 404 from the one or a 410 from the other
// switches to the other for good.
func (t *Tracker) search(ctx context.Context, jql string, fields ...string) ([]gojira.Issue, error) {
	for range 2 {
		useNew := t.newSearch.Load()
		issues, status, err := t.searchOn(ctx, useNew, jql, fields)
		if err == nil {
			return issues, nil
		}
		if (useNew && status == http.StatusNotFound) || (!useNew && status == http.StatusGone) {
			t.newSearch.CompareAndSwap(useNew, !useNew)
			continue
		}
		return nil, err
	}
	return nil, errors.New("jira search: neither /rest/api/2/search/jql nor /rest/api/2/search answers")
}

func (t *Tracker) searchOn(ctx context.Context, useNew bool, jql string, fields []string) ([]gojira.Issue, int, error) {
	size := t.pageSize()
	var all []gojira.Issue
	if useNew {
		opts := &gojira.SearchOptionsV2{MaxResults: size, Fields: fields}
		for {
			issues, resp, err := t.client.Issue.SearchV2JQLWithContext(ctx, jql, opts)
			if err != nil {
				return nil, status(resp), classify("search", resp, err)
			}
			all = append(all, issues...)
			if resp.IsLast || resp.NextPageToken == "" || resp.NextPageToken == opts.NextPageToken {
				return all, 0, nil
			}
			opts.NextPageToken = resp.NextPageToken
		}
	}
	opts := &gojira.SearchOptions{MaxResults: size, Fields: fields}
	for {
		issues, resp, err := t.client.Issue.SearchWithContext(ctx, jql, opts)
		if err != nil {
			return nil, status(resp), classify("search", resp, err)
		}
		all = append(all, issues...)
		opts.StartAt += len(issues)
		if len(issues) == 0 || opts.StartAt >= resp.Total {
			return all, 0, nil
		}
	}
}

func (t *Tracker) pageSize() int {
	if t.cfg.PageSize > 0 {
		return t.cfg.PageSize
	}
	return 100
}

func status(resp *gojira.Response) int {
	if resp == nil || resp.Response == nil {
		return 0
	}
	return resp.StatusCode
}
