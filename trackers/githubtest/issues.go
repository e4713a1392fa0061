package githubtest

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Issue is an issue (or, with PullRequest set, a pull request) held by the
// emulator.
type Issue struct {
	ID          int64
	Number      int
	Title       string
	Body        string
	Labels      []string
	Assignees   []string
	State       string
	PullRequest bool
	Created     time.Time
	Updated     time.Time
	StateReason string    // completed, not_planned or reopened; "" until it is closed
	ClosedAt    time.Time // zero while open
	ClosedBy    string    // login; "" while open
	Deleted     bool      // see [Server.DeleteIssue]
}

// botLogin is the user the emulator's tokens belong to.
const botLogin = "wrapup-bot"

var zeroTime time.Time

// Label is a repository label.
type Label struct {
	ID          int64
	Name        string
	Color       string
	Description string
	Default     bool
}

// StateIssue is one issue in GET /_emulator/state.
type StateIssue struct {
	Number    int      `json:"number"`
	Title     string   `json:"title"`
	Labels    []string `json:"labels"`
	Body      string   `json:"body"`
	State     string   `json:"state"`
	Assignees []string `json:"assignees"`
	// StateReason is completed, not_planned or reopened; "" for an issue
	// never closed.
	StateReason string `json:"state_reason"`
	ClosedAt    string `json:"closed_at,omitempty"` // RFC 3339; absent while open
}

// Issues returns a copy of the repository's issues and pull requests, in
// creation order.
func (s *Server) Issues(repoName string) []Issue {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repos[strings.ToLower(repoName)]
	if r == nil {
		return nil
	}
	out := make([]Issue, len(r.issues))
	for i, is := range r.issues {
		out[i] = *is
		out[i].Labels = slices.Clone(is.Labels)
		out[i].Assignees = slices.Clone(is.Assignees)
	}
	return out
}

// Labels returns the names of the repository's labels.
func (s *Server) Labels(repoName string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repos[strings.ToLower(repoName)]
	if r == nil {
		return nil
	}
	var out []string
	for _, l := range r.labels {
		out = append(out, l.Name)
	}
	return out
}

// AddPullRequest adds a pull request with the given labels and body: the
// issues API lists those too, and a client must skip them.
func (s *Server) AddPullRequest(repoName, title, body string, labels ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repos[strings.ToLower(repoName)]
	if r == nil {
		return
	}
	s.nextID++
	r.issues = append(r.issues, &Issue{ID: s.nextID, Number: len(r.issues) + 1, Title: title, Body: body, Labels: labels, State: "open", PullRequest: true, Created: s.opts.Now()})
}

// State is the emulator's section of GET /_emulator/state.
func (s *Server) State() map[string]any {
	issues := []StateIssue{}
	for _, name := range s.opts.Repos {
		for _, is := range s.Issues(name) {
			if !is.PullRequest && !is.Deleted {
				st := StateIssue{Number: is.Number, Title: is.Title, Labels: is.Labels, Body: is.Body, State: is.State,
					Assignees: nonNilStrings(is.Assignees), StateReason: is.StateReason}
				if !is.ClosedAt.IsZero() {
					st.ClosedAt = ghTime(is.ClosedAt)
				}
				issues = append(issues, st)
			}
		}
	}
	pulls := []StatePull{}
	for _, name := range s.opts.Repos {
		pulls = append(pulls, s.Pulls(name)...)
	}
	return map[string]any{"issues": issues, "pulls": pulls}
}

// getIssue serves GET /repos/{owner}/{repo}/issues/{number}.
func (s *Server) getIssue(w http.ResponseWriter, r *http.Request, rp *repo, base string) {
	n, _ := strconv.Atoi(r.PathValue("number"))
	s.mu.Lock()
	var v map[string]any
	is := findIssue(rp, n)
	if is != nil && !is.Deleted {
		v = s.issueJSON(rp, is, base)
	}
	s.mu.Unlock()
	switch {
	case is == nil:
		notFound(w)
	case v == nil:
		deleted(w)
	default:
		writeJSON(w, http.StatusOK, v)
	}
}

const issuesDoc = "https://docs.github.com/rest/issues/issues#create-an-issue"

func (s *Server) createIssue(w http.ResponseWriter, r *http.Request, rp *repo, base string) {
	var body struct {
		Title     *string  `json:"title"`
		Body      string   `json:"body"`
		Labels    []string `json:"labels"`
		Assignee  *string  `json:"assignee"`
		Assignees []string `json:"assignees"`
	}
	if !readBody(w, r, 1<<20, issuesDoc, &body) {
		return
	}
	switch {
	case body.Assignee != nil && body.Assignees != nil:
		writeJSON(w, http.StatusUnprocessableEntity, errBody("You cannot pass both `assignee` and `assignees`. Only one may be provided.", issuesDoc))
		return
	case body.Title == nil || strings.TrimSpace(*body.Title) == "":
		validationFailed(w, issuesDoc, fieldError{Resource: "Issue", Code: "missing_field", Field: "title"})
		return
	case utf8.RuneCountInString(*body.Title) > 256:
		validationFailed(w, issuesDoc, fieldError{Resource: "Issue", Code: "custom", Field: "title"})
		return
	case utf8.RuneCountInString(body.Body) > 65536:
		validationFailed(w, issuesDoc, fieldError{Resource: "Issue", Code: "custom", Field: "body"})
		return
	}
	for _, l := range body.Labels {
		if utf8.RuneCountInString(l) > 50 || strings.TrimSpace(l) == "" {
			validationFailed(w, issuesDoc, fieldError{Value: l, Resource: "Label", Code: "invalid", Field: "name"})
			return
		}
	}
	if body.Assignee != nil {
		body.Assignees = []string{*body.Assignee}
	}
	s.mu.Lock()
	if !rp.setup.Push {
		// "Only users with push access can set labels for new issues.
		// Labels are silently dropped otherwise." (and likewise
		// assignees), except that a label that does not exist yet is a
		// 403 (community discussion #197408).
		for _, name := range body.Labels {
			if findLabel(rp, name) == nil {
				s.mu.Unlock()
				writeJSON(w, http.StatusForbidden, errBody("Resource not accessible by personal access token", issuesDoc))
				return
			}
		}
		body.Labels, body.Assignees = nil, nil
	}
	for _, a := range body.Assignees {
		if rp.setup.Assignable != nil && !slices.ContainsFunc(rp.setup.Assignable, func(x string) bool { return strings.EqualFold(x, a) }) {
			s.mu.Unlock()
			// The field named is the one sent: "assignee" in
			// kubernetes/test-infra #1624's go-github log.
			field := "assignees"
			if body.Assignee != nil {
				field = "assignee"
			}
			validationFailed(w, issuesDoc, fieldError{Value: a, Resource: "Issue", Code: "invalid", Field: field})
			return
		}
	}
	is := &Issue{Number: len(rp.issues) + 1, Title: *body.Title, Body: body.Body, State: "open", Assignees: body.Assignees, Created: s.opts.Now()}
	is.Updated = is.Created
	s.nextID++
	is.ID = s.nextID
	s.setLabels(rp, is, body.Labels)
	rp.issues = append(rp.issues, is)
	v := s.issueJSON(rp, is, base)
	s.mu.Unlock()
	w.Header().Set("Location", v["url"].(string))
	w.Header().Set("ETag", fmt.Sprintf(`"%064x"`, is.ID))
	writeJSON(w, http.StatusCreated, v)
}

// listIssues serves GET issues: filtered by labels (all must match) and
// state, newest first, paged with a Link header as GitHub does.
func (s *Server) listIssues(w http.ResponseWriter, r *http.Request, rp *repo, base string) {
	q := r.URL.Query()
	state := q.Get("state")
	switch state {
	case "":
		state = "open"
	case "open", "closed", "all":
	default:
		validationFailed(w, "https://docs.github.com/rest/issues/issues#list-repository-issues", fieldError{Resource: "Issue", Code: "invalid", Field: "state"})
		return
	}
	var want []string
	for _, l := range strings.Split(q.Get("labels"), ",") {
		if l = strings.TrimSpace(l); l != "" {
			want = append(want, l)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var found []*Issue
	for i := len(rp.issues) - 1; i >= 0; i-- {
		is := rp.issues[i]
		if is.Deleted || state != "all" && is.State != state {
			continue
		}
		ok := true
		for _, l := range want {
			ok = ok && slices.ContainsFunc(is.Labels, func(x string) bool { return strings.EqualFold(x, l) })
		}
		if ok {
			found = append(found, is)
		}
	}
	page, perPage := s.paging(q)
	out := []map[string]any{}
	start := min((page-1)*perPage, len(found))
	for _, is := range found[start:min(start+perPage, len(found))] {
		v := s.issueJSON(rp, is, base)
		delete(v, "closed_by") // only single-issue answers carry it
		out = append(out, v)
	}
	setLink(w, fmt.Sprintf("%s/repositories/%d/issues", base, rp.id), q, page, perPage, len(found))
	w.Header().Set("ETag", fmt.Sprintf(`W/"%032x"`, len(found)*1000+page))
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) paging(q url.Values) (page, perPage int) {
	page, _ = strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	perPage, _ = strconv.Atoi(q.Get("per_page"))
	if perPage <= 0 {
		perPage = 30
	}
	return page, min(perPage, s.opts.MaxPerPage)
}

// setLink writes GitHub's Link header: next and last, then prev and first
// past the first page.
func setLink(w http.ResponseWriter, target string, q url.Values, page, perPage, total int) {
	last := max((total+perPage-1)/perPage, 1)
	link := func(p int, rel string) string {
		v := url.Values{}
		for k, vs := range q {
			v[k] = vs
		}
		v.Set("per_page", strconv.Itoa(perPage))
		v.Set("page", strconv.Itoa(p))
		return fmt.Sprintf(`<%s?%s>; rel="%s"`, target, v.Encode(), rel)
	}
	var links []string
	if page > 1 {
		links = append(links, link(page-1, "prev"))
	}
	if page < last {
		links = append(links, link(page+1, "next"), link(last, "last"))
	}
	if page > 1 {
		links = append(links, link(1, "first"))
	}
	if len(links) > 0 {
		w.Header().Set("Link", strings.Join(links, ", "))
	}
}

// issueJSON renders an issue as GitHub does. Callers hold s.mu.
func (s *Server) issueJSON(rp *repo, is *Issue, base string) map[string]any {
	web := strings.TrimSuffix(base, "/api/v3")
	api := fmt.Sprintf("%s/repos/%s/issues/%d", base, rp.name, is.Number)
	labels := []map[string]any{}
	for _, name := range is.Labels {
		if l := findLabel(rp, name); l != nil {
			labels = append(labels, labelJSON(rp, l, base))
		}
	}
	assignees := []map[string]any{}
	for _, a := range is.Assignees {
		assignees = append(assignees, userJSON(a, base, web))
	}
	var assignee any
	if len(assignees) > 0 {
		assignee = assignees[0]
	}
	var body any
	if is.Body != "" {
		body = is.Body
	}
	created := ghTime(is.Created)
	var closedAt, closedBy, stateReason any
	if !is.ClosedAt.IsZero() {
		closedAt = ghTime(is.ClosedAt)
	}
	if is.ClosedBy != "" {
		closedBy = userJSON(is.ClosedBy, base, web)
	}
	if is.StateReason != "" {
		stateReason = is.StateReason
	}
	updated := created
	if !is.Updated.IsZero() {
		updated = ghTime(is.Updated)
	}
	v := map[string]any{
		"url": api, "repository_url": base + "/repos/" + rp.name,
		"labels_url": api + "/labels{/name}", "comments_url": api + "/comments", "events_url": api + "/events",
		"html_url": fmt.Sprintf("%s/%s/issues/%d", web, rp.name, is.Number),
		"id":       is.ID, "node_id": fmt.Sprintf("I_kwDO%08X", is.ID), "number": is.Number, "title": is.Title,
		"user":   userJSON(botLogin, base, web),
		"labels": labels, "state": is.State, "locked": false, "assignee": assignee, "assignees": assignees,
		"milestone": nil, "comments": 0, "created_at": created, "updated_at": updated, "closed_at": closedAt,
		"author_association": "MEMBER", "active_lock_reason": nil, "body": body, "closed_by": closedBy,
		"reactions": map[string]any{"url": api + "/reactions", "total_count": 0, "+1": 0, "-1": 0, "laugh": 0,
			"hooray": 0, "confused": 0, "heart": 0, "rocket": 0, "eyes": 0},
		"timeline_url": api + "/timeline", "performed_via_github_app": nil, "state_reason": stateReason,
	}
	if is.PullRequest {
		pr := fmt.Sprintf("%s/repos/%s/pulls/%d", base, rp.name, is.Number)
		v["pull_request"] = map[string]any{"url": pr, "html_url": fmt.Sprintf("%s/%s/pull/%d", web, rp.name, is.Number),
			"diff_url": pr + ".diff", "patch_url": pr + ".patch", "merged_at": nil}
		v["draft"] = false
	}
	return v
}

func userJSON(login, base, web string) map[string]any {
	u := base + "/users/" + login
	return map[string]any{
		"login": login, "id": 31898046, "node_id": "MDQ6VXNlcjMxODk4MDQ2", "avatar_url": web + "/avatars/" + login,
		"gravatar_id": "", "url": u, "html_url": web + "/" + login, "followers_url": u + "/followers",
		"following_url": u + "/following{/other_user}", "gists_url": u + "/gists{/gist_id}",
		"starred_url": u + "/starred{/owner}{/repo}", "subscriptions_url": u + "/subscriptions",
		"organizations_url": u + "/orgs", "repos_url": u + "/repos", "events_url": u + "/events{/privacy}",
		"received_events_url": u + "/received_events", "type": "User", "site_admin": false,
	}
}

func nonNilStrings(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}
