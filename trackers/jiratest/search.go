package jiratest

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

type searchParams struct {
	JQL           string   `json:"jql"`
	Fields        []string `json:"fields"`
	MaxResults    int      `json:"maxResults"`
	StartAt       int      `json:"startAt"`
	NextPageToken string   `json:"nextPageToken"`
	fieldsSet     bool
}

func readSearch(r *http.Request) (searchParams, error) {
	var p searchParams
	if r.Method == http.MethodPost {
		if err := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20)).Decode(&p); err != nil {
			return p, err
		}
		p.fieldsSet = p.Fields != nil
		return p, nil
	}
	q := r.URL.Query()
	p.JQL = q.Get("jql")
	p.NextPageToken = q.Get("nextPageToken")
	p.MaxResults, _ = strconv.Atoi(q.Get("maxResults"))
	p.StartAt, _ = strconv.Atoi(q.Get("startAt"))
	for _, f := range q["fields"] {
		p.fieldsSet = true
		for _, x := range strings.Split(f, ",") {
			if x = strings.TrimSpace(x); x != "" {
				p.Fields = append(p.Fields, x)
			}
		}
	}
	return p, nil
}

// matching returns the issues the query finds, in creation order, leaving
// out those still invisible under SearchDelay. Callers hold s.mu.
func (s *Server) matching(q query) []*Issue {
	now := s.opts.Now()
	var out []*Issue
	for _, is := range s.issues {
		if now.Sub(is.Created) < s.opts.SearchDelay {
			continue
		}
		if q.match(is) {
			out = append(out, is)
		}
	}
	return out
}

// removedSearch is Cloud's answer on the old search endpoint (CHANGE-2046).
const removedSearch = "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046"

// searchOld serves Data Center's /rest/api/2/search: startAt paging, a
// total, all navigable fields by default. Cloud has removed it.
func (s *Server) searchOld(w http.ResponseWriter, r *http.Request) {
	if s.opts.Deployment == Cloud {
		writeError(w, http.StatusGone, []string{removedSearch}, nil)
		return
	}
	p, err := readSearch(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, []string{"Can not deserialize the request: " + err.Error()}, nil)
		return
	}
	q, err := parseJQL(p.JQL)
	if err != nil {
		writeError(w, http.StatusBadRequest, []string{err.Error()}, nil)
		return
	}
	limit := s.pageSize(p.MaxResults)
	s.mu.Lock()
	defer s.mu.Unlock()
	if msgs := s.unknownKeys(q); len(msgs) > 0 {
		// Jira checks the keys a query names against the issues that
		// exist, not against the search index, and refuses the query
		// whole, listing every key it does not know.
		writeError(w, http.StatusBadRequest, msgs, nil)
		return
	}
	found := s.matching(q)
	fields := p.Fields
	if !p.fieldsSet {
		fields = nil
	}
	issues := []map[string]any{}
	start := min(max(p.StartAt, 0), len(found))
	for _, is := range found[start:min(start+limit, len(found))] {
		issues = append(issues, s.issueJSON(r, is, fields))
	}
	writeJSON(w, http.StatusOK, map[string]any{"expand": "schema,names", "startAt": start, "maxResults": limit, "total": len(found), "issues": issues})
}

// searchJQL serves Cloud's /rest/api/2/search/jql: token paging, no total,
// ids only unless fields are asked for, and no unbounded queries. Data
// Center does not have it.
func (s *Server) searchJQL(w http.ResponseWriter, r *http.Request) {
	if s.opts.Deployment != Cloud {
		writeJSON(w, http.StatusNotFound, map[string]any{"message": "null for uri: " + s.base(r) + r.URL.RequestURI(), "status-code": 404})
		return
	}
	p, err := readSearch(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, []string{"Can not deserialize the request: " + err.Error()}, nil)
		return
	}
	q, err := parseJQL(p.JQL)
	if err != nil {
		writeError(w, http.StatusBadRequest, []string{err.Error()}, nil)
		return
	}
	if len(q.clauses) == 0 {
		writeError(w, http.StatusBadRequest, []string{"Unbounded JQL queries are not allowed here. Please add a search restriction to your query."}, nil)
		return
	}
	start := 0
	if p.NextPageToken != "" {
		raw, err := base64.RawURLEncoding.DecodeString(p.NextPageToken)
		if err == nil {
			start, err = strconv.Atoi(strings.TrimPrefix(string(raw), "page:"))
		}
		if err != nil || start < 0 {
			writeError(w, http.StatusBadRequest, []string{"The provided next page token is invalid or expired."}, nil)
			return
		}
	}
	limit := s.pageSize(p.MaxResults)
	s.mu.Lock()
	defer s.mu.Unlock()
	if msgs := s.unknownKeys(q); len(msgs) > 0 {
		// Jira checks the keys a query names against the issues that
		// exist, not against the search index, and refuses the query
		// whole, listing every key it does not know.
		writeError(w, http.StatusBadRequest, msgs, nil)
		return
	}
	found := s.matching(q)
	fields := p.Fields
	if fields == nil {
		fields = []string{}
	}
	start = min(start, len(found))
	end := min(start+limit, len(found))
	issues := []map[string]any{}
	for _, is := range found[start:end] {
		issues = append(issues, s.issueJSON(r, is, fields))
	}
	resp := map[string]any{"issues": issues, "isLast": end >= len(found)}
	if end < len(found) {
		resp["nextPageToken"] = base64.RawURLEncoding.EncodeToString([]byte("page:" + strconv.Itoa(end)))
	}
	writeJSON(w, http.StatusOK, resp)
}

func (s *Server) pageSize(asked int) int {
	if asked <= 0 || asked > s.opts.MaxResults {
		return s.opts.MaxResults
	}
	return asked
}
