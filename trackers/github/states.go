package github

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	gh "github.com/google/go-github/v60/github"
	"github.com/wrapup/wrapup/trackers"
)

// States lists the issues of the tracker's labels (Config.Labels, the
// ones every filed issue carries; the incident label when there are
// none), open and closed, 100 a page, and reads the states of the ids
// among them: one call per 100 labelled issues however many tickets are
// asked for, and no more pages once every id is seen. An issue still
// unseen (a person removed the label, or it lives in another repository)
// is fetched on its own. A closed issue is done, or not_planned when its
// state_reason says not_planned or duplicate; its closed_at is when. An
// issue GitHub no longer has (404, or 410 once deleted) is absent, as is
// an id that is no GitHub issue reference.
//
// Ids are Ticket.ID values: "owner/name#12", "#12" or "12".
func (t *Tracker) States(ctx context.Context, ids []string) (map[string]trackers.TicketState, error) {
	now := time.Now
	if t.cfg.Now != nil {
		now = t.cfg.Now
	}
	asked := now().UTC()
	here := strings.ToLower(t.owner + "/" + t.repo)
	want := map[string]map[int][]string{} // lower-case repo -> number -> the ids naming it
	for _, id := range ids {
		repo, n, ok := parseID(id)
		if !ok {
			continue
		}
		if repo == "" {
			repo = here
		}
		if want[repo] == nil {
			want[repo] = map[int][]string{}
		}
		if !slices.Contains(want[repo][n], id) {
			want[repo][n] = append(want[repo][n], id)
		}
	}
	out := map[string]trackers.TicketState{}
	set := func(is *gh.Issue, ids []string) {
		st := issueState(is, asked)
		for _, id := range ids {
			out[id] = st
		}
	}
	if mine := want[here]; len(mine) > 0 {
		seen, err := t.listStates(ctx, mine, set)
		if err != nil {
			return nil, err
		}
		for n := range seen {
			delete(mine, n)
		}
	}
	for _, repo := range slices.Sorted(maps.Keys(want)) {
		owner, name, _ := strings.Cut(repo, "/")
		for _, n := range slices.Sorted(maps.Keys(want[repo])) {
			is, err := t.getIssue(ctx, owner, name, n)
			if err != nil {
				return nil, err
			}
			if is != nil {
				set(is, want[repo][n])
			}
		}
	}
	return out, nil
}

// listStates pages through the labelled issues, calling set for those
// wanted, until every one is seen or the pages end. It returns the
// numbers seen.
func (t *Tracker) listStates(ctx context.Context, want map[int][]string, set func(*gh.Issue, []string)) (map[int]bool, error) {
	labels := t.cfg.Labels
	if len(labels) == 0 && t.cfg.Channel != "" {
		labels = []string{t.label}
	}
	// With no label at all (no labels configured, no channel: the
	// index's refresh), the listing is the repository's issues.
	seen := map[int]bool{}
	opts := &gh.IssueListByRepoOptions{State: "all", Labels: labels, ListOptions: gh.ListOptions{PerPage: t.perPage()}}
	for {
		issues, resp, err := t.client.Issues.ListByRepo(ctx, t.owner, t.repo, opts)
		if err != nil {
			return nil, classify("list issues", resp, err)
		}
		for _, is := range issues {
			if ids, ok := want[is.GetNumber()]; ok && !is.IsPullRequest() && !seen[is.GetNumber()] {
				seen[is.GetNumber()] = true
				set(is, ids)
			}
		}
		if resp.NextPage == 0 || len(seen) == len(want) {
			return seen, nil
		}
		opts.Page = resp.NextPage
	}
}

// getIssue fetches one issue; nil when GitHub no longer has it (404, or
// 410 for a deleted one). A transferred issue's redirect is followed.
func (t *Tracker) getIssue(ctx context.Context, owner, repo string, n int) (*gh.Issue, error) {
	is, resp, err := t.client.Issues.Get(ctx, owner, repo, n)
	var er *gh.ErrorResponse
	if errors.As(err, &er) && er.Response != nil && (er.Response.StatusCode == http.StatusNotFound || er.Response.StatusCode == http.StatusGone) {
		return nil, nil
	}
	if err != nil {
		return nil, classify("get issue "+owner+"/"+repo+"#"+strconv.Itoa(n), resp, err)
	}
	return is, nil
}

// parseID reads "owner/name#12", "#12" or "12"; repo is lower case, ""
// when the id names none.
func parseID(id string) (repo string, n int, ok bool) {
	id = strings.TrimSpace(id)
	repo, num, found := strings.Cut(id, "#")
	if !found {
		repo, num = "", id
	}
	if repo != "" {
		owner, name, ok := strings.Cut(repo, "/")
		if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
			return "", 0, false
		}
	}
	n, err := strconv.Atoi(num)
	if err != nil || n <= 0 || num[0] == '+' {
		return "", 0, false
	}
	return strings.ToLower(repo), n, true
}

// issueState reads an issue's state: open, or closed as completed (done)
// or as not planned or a duplicate (not_planned). An issue closed before
// GitHub had reasons has none, and counts as done.
func issueState(is *gh.Issue, asked time.Time) trackers.TicketState {
	st := trackers.TicketState{State: trackers.StateOpen, CheckedAt: asked}
	if is.GetState() != "closed" {
		return st
	}
	switch is.GetStateReason() {
	case "not_planned", "duplicate":
		st.State = trackers.StateNotPlanned
	default:
		st.State, st.Done = trackers.StateDone, true
	}
	if is.ClosedAt != nil && !is.ClosedAt.IsZero() {
		at := is.ClosedAt.UTC()
		st.ResolvedAt = &at
	}
	return st
}
