package github

import (
	"context"

	gh "github.com/google/go-github/v60/github"
	"github.com/wrapup/wrapup/timeline"
)

// Lookup lists the incident label's issues, open and closed, every page,
// and matches their markers. Never the search API: it lags, and allows 30
// requests a minute.
func (t *Tracker) Lookup(ctx context.Context, keys []string) (map[string]timeline.Ticket, error) {
	if err := t.needChannel(); err != nil {
		return nil, err
	}
	got := map[string]timeline.Ticket{}
	if len(keys) == 0 {
		return got, nil
	}
	want := map[string]bool{}
	for _, k := range keys {
		want[k] = true
	}
	number := map[string]int{}
	opts := &gh.IssueListByRepoOptions{State: "all", Labels: []string{t.label}, ListOptions: gh.ListOptions{PerPage: t.perPage()}}
	for {
		issues, resp, err := t.client.Issues.ListByRepo(ctx, t.owner, t.repo, opts)
		if err != nil {
			return nil, classify("list issues", resp, err)
		}
		for _, is := range issues {
			if is.IsPullRequest() {
				continue
			}
			k, ok := MarkerKey(is.GetBody())
			if !ok || !want[k] {
				continue
			}
			// Should a key ever be filed twice, the oldest issue wins.
			if n, seen := number[k]; !seen || is.GetNumber() < n {
				number[k] = is.GetNumber()
				got[k] = t.ticket(is)
			}
		}
		if resp.NextPage == 0 {
			return got, nil
		}
		opts.Page = resp.NextPage
	}
}
