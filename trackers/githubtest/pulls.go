package githubtest

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

const (
	pullsDoc     = "https://docs.github.com/rest/pulls/pulls#create-a-pull-request"
	reviewersDoc = "https://docs.github.com/rest/pulls/review-requests#request-reviewers-for-a-pull-request"
)

// pull is a pull request's own part; its number, title, body and state
// live in its Issue, as GitHub numbers pull requests and issues alike.
type pull struct {
	issue     *Issue
	Head      string // branch
	Base      string // branch
	BaseSHA   string // the base's commit when the pull request was opened
	HeadSHA   string // the head's commit when it was merged or closed
	Merged    bool
	MergedAt  time.Time
	Reviewers []string
}

// StatePull is one pull request in GET /_emulator/state.
type StatePull struct {
	Number    int               `json:"number"`
	Head      string            `json:"head"`
	Base      string            `json:"base"`
	State     string            `json:"state"` // open, closed or merged
	Title     string            `json:"title"`
	Body      string            `json:"body"`
	Reviewers []string          `json:"reviewers"`
	Commits   int               `json:"commits"` // on the head branch since the base it was opened against
	Files     map[string]string `json:"files"`   // path -> sha256 of the content on the head branch, for the files it changes
}

// Pulls returns the repository's pull requests as the state lists them.
func (s *Server) Pulls(repoName string) []StatePull {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.repos[strings.ToLower(repoName)]
	if rp == nil {
		return nil
	}
	out := []StatePull{}
	for _, p := range rp.pulls {
		st := StatePull{Number: p.issue.Number, Head: p.Head, Base: p.Base, State: p.issue.State, Title: p.issue.Title,
			Body: p.issue.Body, Reviewers: nonNilStrings(slices.Clone(p.Reviewers)), Files: map[string]string{}}
		if p.Merged {
			st.State = "merged"
		}
		g := s.git(rp)
		head := p.headSHA(g)
		baseFiles := g.files(p.BaseSHA)
		for path, b := range g.files(head) {
			if old, ok := baseFiles[path]; !ok || string(old) != string(b) {
				st.Files[path] = sha256Hex(b)
			}
		}
		for c := head; c != "" && c != p.BaseSHA && g.commits[c] != nil && len(g.commits[c].Parents) > 0; c = g.commits[c].Parents[0] {
			st.Commits++
		}
		out = append(out, st)
	}
	return out
}

func (p *pull) headSHA(g *gitStore) string {
	if p.issue.State != "open" && p.HeadSHA != "" {
		return p.HeadSHA
	}
	if sha, ok := g.refs["refs/heads/"+p.Head]; ok {
		return sha
	}
	return p.HeadSHA
}

func (s *Server) pullJSON(rp *repo, p *pull, base string) map[string]any {
	web := strings.TrimSuffix(base, "/api/v3")
	owner, _, _ := strings.Cut(rp.name, "/")
	g := s.git(rp)
	v := s.issueJSON(rp, p.issue, base)
	delete(v, "pull_request")
	v["url"] = fmt.Sprintf("%s/repos/%s/pulls/%d", base, rp.name, p.issue.Number)
	v["html_url"] = fmt.Sprintf("%s/%s/pull/%d", web, rp.name, p.issue.Number)
	v["diff_url"] = v["html_url"].(string) + ".diff"
	v["issue_url"] = fmt.Sprintf("%s/repos/%s/issues/%d", base, rp.name, p.issue.Number)
	baseSHA := g.refs["refs/heads/"+p.Base]
	v["head"] = map[string]any{"label": owner + ":" + p.Head, "ref": p.Head, "sha": p.headSHA(g), "user": userJSON(owner, base, web)}
	v["base"] = map[string]any{"label": owner + ":" + p.Base, "ref": p.Base, "sha": baseSHA, "user": userJSON(owner, base, web)}
	v["merged"] = p.Merged
	var mergedAt any
	if p.Merged {
		mergedAt = ghTime(p.MergedAt)
	}
	v["merged_at"] = mergedAt
	v["draft"] = false
	reviewers := []map[string]any{}
	for _, r := range p.Reviewers {
		reviewers = append(reviewers, userJSON(r, base, web))
	}
	v["requested_reviewers"] = reviewers
	v["requested_teams"] = []any{}
	return v
}

// pullOf is the pull request the path's {number} names, or nil with a
// 404 written; s.mu is held.
func pullOf(w http.ResponseWriter, r *http.Request, rp *repo) *pull {
	n, _ := strconv.Atoi(r.PathValue("number"))
	p := findPull(rp, n)
	if p == nil {
		notFound(w)
	}
	return p
}

func findPull(rp *repo, n int) *pull {
	for _, p := range rp.pulls {
		if p.issue.Number == n {
			return p
		}
	}
	return nil
}

// createPull serves POST /repos/{owner}/{repo}/pulls. Its refusals are
// GitHub's: 422 with field base (or head) code invalid for a branch that
// does not exist (dailymotion-oss/octopilot#134 records "422 Validation
// Failed [{Resource:PullRequest Field:base Code:invalid}]"), and 422 "A
// pull request already exists for owner:branch." for a head that has an
// open one (as "Create a pull request" documents for 422).
func (s *Server) createPull(w http.ResponseWriter, r *http.Request, rp *repo, base string) {
	var body struct {
		Title *string `json:"title"`
		Head  string  `json:"head"`
		Base  string  `json:"base"`
		Body  string  `json:"body"`
		Draft bool    `json:"draft"`
	}
	if !readBody(w, r, 1<<20, pullsDoc, &body) {
		return
	}
	owner, _, _ := strings.Cut(rp.name, "/")
	head := body.Head
	if o, b, ok := strings.Cut(head, ":"); ok {
		if !strings.EqualFold(o, owner) {
			validationFailed(w, pullsDoc, fieldError{Resource: "PullRequest", Code: "invalid", Field: "head"})
			return
		}
		head = b
	}
	switch {
	case body.Title == nil || strings.TrimSpace(*body.Title) == "":
		validationFailed(w, pullsDoc, fieldError{Resource: "PullRequest", Code: "missing_field", Field: "title"})
		return
	case utf8.RuneCountInString(*body.Title) > 256:
		validationFailed(w, pullsDoc, fieldError{Resource: "PullRequest", Code: "custom", Field: "title"})
		return
	case utf8.RuneCountInString(body.Body) > 65536:
		validationFailed(w, pullsDoc, fieldError{Resource: "PullRequest", Code: "custom", Field: "body"})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.git(rp)
	baseSHA, okBase := g.refs["refs/heads/"+body.Base]
	headSHA, okHead := g.refs["refs/heads/"+head]
	switch {
	case !okBase:
		validationFailed(w, pullsDoc, fieldError{Resource: "PullRequest", Code: "invalid", Field: "base"})
		return
	case !okHead:
		validationFailed(w, pullsDoc, fieldError{Resource: "PullRequest", Code: "invalid", Field: "head"})
		return
	}
	for _, p := range rp.pulls {
		if p.Head == head && p.Base == body.Base && p.issue.State == "open" {
			validationFailed(w, pullsDoc, fieldError{Resource: "PullRequest", Code: "custom",
				Message: "A pull request already exists for " + owner + ":" + head + "."})
			return
		}
	}
	if g.ancestor(headSHA, baseSHA) {
		validationFailed(w, pullsDoc, fieldError{Resource: "PullRequest", Code: "custom",
			Message: "No commits between " + body.Base + " and " + head})
		return
	}
	s.nextID++
	is := &Issue{ID: s.nextID, Number: len(rp.issues) + 1, Title: *body.Title, Body: body.Body, State: "open", PullRequest: true, Created: s.opts.Now()}
	rp.issues = append(rp.issues, is)
	p := &pull{issue: is, Head: head, Base: body.Base, BaseSHA: baseSHA}
	rp.pulls = append(rp.pulls, p)
	writeJSON(w, http.StatusCreated, s.pullJSON(rp, p, base))
}

// listPulls serves GET /repos/{owner}/{repo}/pulls: state (open, the
// default; closed; all), head ("owner:branch") and base filter it; newest
// first, as GitHub sorts by default.
func (s *Server) listPulls(w http.ResponseWriter, r *http.Request, rp *repo, base string) {
	q := r.URL.Query()
	state := q.Get("state")
	if state == "" {
		state = "open"
	}
	if state != "open" && state != "closed" && state != "all" {
		validationFailed(w, "https://docs.github.com/rest/pulls/pulls#list-pull-requests", fieldError{Value: state, Resource: "PullRequest", Code: "invalid", Field: "state"})
		return
	}
	owner, _, _ := strings.Cut(rp.name, "/")
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []map[string]any{}
	for i := len(rp.pulls) - 1; i >= 0; i-- {
		p := rp.pulls[i]
		if state != "all" && p.issue.State != state {
			continue
		}
		if h := q.Get("head"); h != "" {
			o, b, ok := strings.Cut(h, ":")
			if !ok || !strings.EqualFold(o, owner) || b != p.Head {
				continue
			}
		}
		if b := q.Get("base"); b != "" && b != p.Base {
			continue
		}
		out = append(out, s.pullJSON(rp, p, base))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) getPull(w http.ResponseWriter, r *http.Request, rp *repo, base string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := pullOf(w, r, rp)
	if p == nil {
		return
	}
	writeJSON(w, http.StatusOK, s.pullJSON(rp, p, base))
}

// updatePull serves PATCH /repos/{owner}/{repo}/pulls/{number}: title,
// body, state and base.
func (s *Server) updatePull(w http.ResponseWriter, r *http.Request, rp *repo, base string) {
	var body struct {
		Title *string `json:"title"`
		Body  *string `json:"body"`
		State *string `json:"state"`
		Base  *string `json:"base"`
	}
	if !readBody(w, r, 1<<20, pullsDoc, &body) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := pullOf(w, r, rp)
	if p == nil {
		return
	}
	switch {
	case body.State != nil && *body.State != "open" && *body.State != "closed":
		validationFailed(w, pullsDoc, fieldError{Value: *body.State, Resource: "PullRequest", Code: "invalid", Field: "state"})
		return
	case body.Title != nil && (strings.TrimSpace(*body.Title) == "" || utf8.RuneCountInString(*body.Title) > 256):
		validationFailed(w, pullsDoc, fieldError{Resource: "PullRequest", Code: "custom", Field: "title"})
		return
	case body.Body != nil && utf8.RuneCountInString(*body.Body) > 65536:
		validationFailed(w, pullsDoc, fieldError{Resource: "PullRequest", Code: "custom", Field: "body"})
		return
	case p.Merged && body.State != nil:
		writeJSON(w, http.StatusUnprocessableEntity, errBody("Cannot change the state of a merged pull request", pullsDoc))
		return
	}
	if body.Base != nil {
		if _, ok := s.git(rp).refs["refs/heads/"+*body.Base]; !ok {
			validationFailed(w, pullsDoc, fieldError{Resource: "PullRequest", Code: "invalid", Field: "base"})
			return
		}
		p.Base = *body.Base
	}
	if body.Title != nil {
		p.issue.Title = *body.Title
	}
	if body.Body != nil {
		p.issue.Body = *body.Body
	}
	if body.State != nil && *body.State != p.issue.State {
		s.setPullState(rp, p, *body.State)
	}
	p.issue.Updated = s.opts.Now()
	writeJSON(w, http.StatusOK, s.pullJSON(rp, p, base))
}

func (s *Server) setPullState(rp *repo, p *pull, state string) {
	p.issue.State = state
	if state == "closed" {
		p.HeadSHA = s.git(rp).refs["refs/heads/"+p.Head]
		p.issue.ClosedAt, p.issue.ClosedBy = s.opts.Now(), botLogin
		return
	}
	p.issue.ClosedAt, p.issue.ClosedBy = zeroTime, ""
}

// requestReviewers serves POST
// /repos/{owner}/{repo}/pulls/{number}/requested_reviewers. GitHub refuses
// the pull request's author (422 "Review cannot be requested from pull
// request author.") and people who are not collaborators (422 "Reviews may
// only be requested from collaborators..."), both per "Request reviewers
// for a pull request"; here collaborators are the repository's
// assignable people.
func (s *Server) requestReviewers(w http.ResponseWriter, r *http.Request, rp *repo, base string) {
	var body struct {
		Reviewers     []string `json:"reviewers"`
		TeamReviewers []string `json:"team_reviewers"`
	}
	if !readBody(w, r, 1<<20, reviewersDoc, &body) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := pullOf(w, r, rp)
	if p == nil {
		return
	}
	for _, login := range body.Reviewers {
		if strings.EqualFold(login, botLogin) {
			writeJSON(w, http.StatusUnprocessableEntity, errBody("Review cannot be requested from pull request author.", reviewersDoc))
			return
		}
		if a := rp.setup.Assignable; a != nil && !slices.ContainsFunc(a, func(x string) bool { return strings.EqualFold(x, login) }) {
			writeJSON(w, http.StatusUnprocessableEntity, errBody("Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the "+rp.name+" repository.", reviewersDoc))
			return
		}
	}
	for _, login := range body.Reviewers {
		if !slices.ContainsFunc(p.Reviewers, func(x string) bool { return strings.EqualFold(x, login) }) {
			p.Reviewers = append(p.Reviewers, login)
		}
	}
	writeJSON(w, http.StatusCreated, s.pullJSON(rp, p, base))
}

// MergePull merges an open pull request as a person would: a merge
// commit on the base branch, the pull request closed and merged.
func (s *Server) MergePull(repoName string, number int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.repos[strings.ToLower(repoName)]
	if rp == nil {
		return fmt.Errorf("no repository %s", repoName)
	}
	p := findPull(rp, number)
	if p == nil || p.issue.State != "open" {
		return fmt.Errorf("%s has no open pull request #%d", repoName, number)
	}
	g := s.git(rp)
	head, base := g.refs["refs/heads/"+p.Head], g.refs["refs/heads/"+p.Base]
	sig := Signature{Name: "Octo Cat", Email: "octocat@example.com", Date: ghTime(s.opts.Now())}
	g.refs["refs/heads/"+p.Base] = g.putCommit(g.commits[head].Tree, []string{base, head},
		fmt.Sprintf("Merge pull request #%d from %s", number, p.Head), sig)
	s.setPullState(rp, p, "closed")
	p.Merged, p.MergedAt = true, s.opts.Now()
	return nil
}

// ClosePull closes an open pull request without merging it.
func (s *Server) ClosePull(repoName string, number int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.repos[strings.ToLower(repoName)]
	if rp == nil {
		return fmt.Errorf("no repository %s", repoName)
	}
	p := findPull(rp, number)
	if p == nil || p.issue.State != "open" {
		return fmt.Errorf("%s has no open pull request #%d", repoName, number)
	}
	s.setPullState(rp, p, "closed")
	return nil
}

// listReviews serves GET /repos/{owner}/{repo}/pulls/{number}/reviews:
// the emulator's people never review, so the list is empty.
func (s *Server) listReviews(w http.ResponseWriter, r *http.Request, rp *repo, _ string) {
	s.mu.Lock()
	p := pullOf(w, r, rp)
	s.mu.Unlock()
	if p == nil {
		return
	}
	writeJSON(w, http.StatusOK, []any{})
}
