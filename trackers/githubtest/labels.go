package githubtest

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

const labelsDoc = "https://docs.github.com/rest/issues/labels#create-a-label"

var colorRE = regexp.MustCompile(`^[0-9a-fA-F]{6}$`)

// findLabel finds a label by name, case-insensitively as GitHub does.
// Callers hold s.mu.
func findLabel(rp *repo, name string) *Label {
	for _, l := range rp.labels {
		if strings.EqualFold(l.Name, name) {
			return l
		}
	}
	return nil
}

// setLabels gives is the named labels, making the missing ones as GitHub
// does for a caller with push access. Callers hold s.mu.
func (s *Server) setLabels(rp *repo, is *Issue, names []string) {
	for _, name := range names {
		l := findLabel(rp, name)
		if l == nil {
			s.nextID++
			l = &Label{ID: s.nextID, Name: name, Color: "ededed"}
			rp.labels = append(rp.labels, l)
		}
		if !slices.Contains(is.Labels, l.Name) {
			is.Labels = append(is.Labels, l.Name)
		}
	}
}

func labelJSON(rp *repo, l *Label, base string) map[string]any {
	var desc any
	if l.Description != "" {
		desc = l.Description
	}
	return map[string]any{
		"id": l.ID, "node_id": fmt.Sprintf("LA_kwDO%08X", l.ID),
		"url":  base + "/repos/" + rp.name + "/labels/" + url.PathEscape(l.Name),
		"name": l.Name, "color": l.Color, "default": l.Default, "description": desc,
	}
}

// getLabel serves GET /repos/{owner}/{repo}/labels/{name}.
func (s *Server) getLabel(w http.ResponseWriter, r *http.Request, rp *repo, base string) {
	s.mu.Lock()
	var v map[string]any
	if l := findLabel(rp, r.PathValue("name")); l != nil {
		v = labelJSON(rp, l, base)
	}
	s.mu.Unlock()
	if v == nil {
		notFound(w)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

func (s *Server) listLabels(w http.ResponseWriter, r *http.Request, rp *repo, base string) {
	q := r.URL.Query()
	page, perPage := s.paging(q)
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []map[string]any{}
	start := min((page-1)*perPage, len(rp.labels))
	for _, l := range rp.labels[start:min(start+perPage, len(rp.labels))] {
		out = append(out, labelJSON(rp, l, base))
	}
	setLink(w, fmt.Sprintf("%s/repositories/%d/labels", base, rp.id), q, page, perPage, len(rp.labels))
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) createLabel(w http.ResponseWriter, r *http.Request, rp *repo, base string) {
	var body struct {
		Name        string `json:"name"`
		Color       string `json:"color"`
		Description string `json:"description"`
	}
	if !readBody(w, r, 1<<16, labelsDoc, &body) {
		return
	}
	if !rp.setup.Push {
		// Creating a label needs push access (GitHub docs, "Create a
		// label": fine-grained tokens need Issues or Pull requests write).
		writeJSON(w, http.StatusForbidden, errBody("Resource not accessible by personal access token", labelsDoc))
		return
	}
	body.Color = strings.TrimPrefix(body.Color, "#")
	switch {
	case strings.TrimSpace(body.Name) == "":
		validationFailed(w, labelsDoc, fieldError{Resource: "Label", Code: "missing_field", Field: "name"})
		return
	case utf8.RuneCountInString(body.Name) > 50:
		validationFailed(w, labelsDoc, fieldError{Resource: "Label", Code: "custom", Field: "name", Message: "name is too long (maximum is 50 characters)"})
		return
	case body.Color == "":
		body.Color = "ededed"
	case !colorRE.MatchString(body.Color):
		validationFailed(w, labelsDoc, fieldError{Resource: "Label", Code: "invalid", Field: "color"})
		return
	}
	s.mu.Lock()
	if findLabel(rp, body.Name) != nil {
		s.mu.Unlock()
		validationFailed(w, labelsDoc, fieldError{Resource: "Label", Code: "already_exists", Field: "name"})
		return
	}
	s.nextID++
	l := &Label{ID: s.nextID, Name: body.Name, Color: strings.ToLower(body.Color), Description: body.Description}
	rp.labels = append(rp.labels, l)
	v := labelJSON(rp, l, base)
	s.mu.Unlock()
	w.Header().Set("Location", v["url"].(string))
	writeJSON(w, http.StatusCreated, v)
}
