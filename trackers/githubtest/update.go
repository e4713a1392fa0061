package githubtest

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

const updateDoc = "https://docs.github.com/rest/issues/issues#update-an-issue"

// stateReasons are the values "Update an issue" takes for state_reason
// (GitHub REST docs; go-github v60's IssueRequest says the same).
var stateReasons = []string{"completed", "not_planned", "reopened"}

// updateIssue serves PATCH /repos/{owner}/{repo}/issues/{number}: title,
// body, labels (replaced, dropped silently without push access as on
// create) and state. Per GitHub's docs, state_reason is "ignored unless
// state is changed" (github/docs#22914); closing without one closes as
// completed, reopening makes it reopened; closing sets closed_at and
// closed_by, reopening clears them.
func (s *Server) updateIssue(w http.ResponseWriter, r *http.Request, rp *repo, base string) {
	var body struct {
		Title       *string   `json:"title"`
		Body        *string   `json:"body"`
		State       *string   `json:"state"`
		StateReason *string   `json:"state_reason"`
		Labels      *[]string `json:"labels"`
	}
	if !readBody(w, r, 1<<20, updateDoc, &body) {
		return
	}
	switch {
	case body.State != nil && *body.State != "open" && *body.State != "closed":
		validationFailed(w, updateDoc, fieldError{Value: *body.State, Resource: "Issue", Code: "invalid", Field: "state"})
		return
	case body.StateReason != nil && !slices.Contains(stateReasons, *body.StateReason):
		validationFailed(w, updateDoc, fieldError{Value: *body.StateReason, Resource: "Issue", Code: "invalid", Field: "state_reason"})
		return
	case body.Title != nil && (strings.TrimSpace(*body.Title) == "" || utf8.RuneCountInString(*body.Title) > 256):
		validationFailed(w, updateDoc, fieldError{Resource: "Issue", Code: "custom", Field: "title"})
		return
	case body.Body != nil && utf8.RuneCountInString(*body.Body) > 65536:
		validationFailed(w, updateDoc, fieldError{Resource: "Issue", Code: "custom", Field: "body"})
		return
	}
	if body.Labels != nil {
		for _, l := range *body.Labels {
			if utf8.RuneCountInString(l) > 50 || strings.TrimSpace(l) == "" {
				validationFailed(w, updateDoc, fieldError{Value: l, Resource: "Label", Code: "invalid", Field: "name"})
				return
			}
		}
	}
	n, _ := strconv.Atoi(r.PathValue("number"))
	s.mu.Lock()
	defer s.mu.Unlock()
	is := findIssue(rp, n)
	switch {
	case is == nil:
		notFound(w)
		return
	case is.Deleted:
		deleted(w)
		return
	}
	now := s.opts.Now()
	if body.Title != nil {
		is.Title = *body.Title
	}
	if body.Body != nil {
		is.Body = *body.Body
	}
	if body.Labels != nil && rp.setup.Push {
		is.Labels = nil
		s.setLabels(rp, is, *body.Labels)
	}
	if body.State != nil && *body.State != is.State {
		is.State = *body.State
		reason := ""
		if body.StateReason != nil {
			reason = *body.StateReason
		}
		if is.State == "closed" {
			if reason == "" || reason == "reopened" {
				reason = "completed"
			}
			is.StateReason, is.ClosedAt, is.ClosedBy = reason, now, botLogin
		} else {
			is.StateReason, is.ClosedAt, is.ClosedBy = "reopened", zeroTime, ""
		}
	}
	is.Updated = now
	writeJSON(w, http.StatusOK, s.issueJSON(rp, is, base))
}

// DeleteIssue deletes an issue, as a repository admin can in GitHub's web
// interface (the REST API has no delete): its number then answers 410
// Gone ("Get an issue" lists 410 among its answers) and listings leave it
// out. It reports whether the issue existed.
func (s *Server) DeleteIssue(repoName string, number int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repos[strings.ToLower(repoName)]
	if r == nil {
		return false
	}
	is := findIssue(r, number)
	if is == nil || is.Deleted {
		return false
	}
	is.Deleted = true
	return true
}

// findIssue finds an issue by number. Callers hold s.mu.
func findIssue(rp *repo, n int) *Issue {
	for _, is := range rp.issues {
		if is.Number == n {
			return is
		}
	}
	return nil
}

func deleted(w http.ResponseWriter) {
	writeJSON(w, http.StatusGone, errBody("This issue was deleted", "https://docs.github.com/rest/issues/issues#get-an-issue"))
}
