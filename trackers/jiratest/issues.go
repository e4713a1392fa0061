package jiratest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Issue is an issue held by the emulator.
type Issue struct {
	ID          string
	Key         string
	Project     string
	Type        string
	Summary     string
	Description string
	Labels      []string
	Assignee    string // accountId on Cloud, name on Data Center
	Priority    string
	Parent      string
	Custom      map[string]json.RawMessage // customfield_* as sent
	Created     time.Time
	Updated     time.Time
	Status      Status    // To Do when created; transitions change it
	Resolution  string    // "" while unresolved
	Resolved    time.Time // the resolution date; zero while unresolved
	OldKeys     []string  // keys it had before it was moved; they still find it
	RemoteLinks []RemoteLink
	Comments    []Comment
}

// RemoteLink is a link from an issue to elsewhere.
type RemoteLink struct {
	ID       int    `json:"id"`
	GlobalID string `json:"globalId,omitempty"`
	URL      string `json:"url"`
	Title    string `json:"title"`
}

// Comment is a comment on an issue.
type Comment struct {
	ID   string `json:"id"`
	Body string `json:"body"`
}

// Issues returns a copy of every issue, in creation order.
func (s *Server) Issues() []Issue {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Issue, len(s.issues))
	for i, is := range s.issues {
		out[i] = *is
		out[i].Labels = slices.Clone(is.Labels)
		out[i].RemoteLinks = slices.Clone(is.RemoteLinks)
		out[i].Comments = slices.Clone(is.Comments)
		out[i].OldKeys = slices.Clone(is.OldKeys)
	}
	return out
}

// StateIssue is one issue in GET /_emulator/state.
type StateIssue struct {
	Key         string   `json:"key"`
	Summary     string   `json:"summary"`
	Labels      []string `json:"labels"`
	Description string   `json:"description"`
	Assignee    string   `json:"assignee"` // accountId on Cloud, name on Data Center; "" when unassigned
	Status      string   `json:"status"`   // the status's name: "To Do", "Done", ...
	// StatusCategory is the status's category: new, indeterminate or done.
	StatusCategory string `json:"status_category"`
	Resolution     string `json:"resolution"`               // "" while unresolved
	ResolutionDate string `json:"resolutiondate,omitempty"` // as Jira writes it; absent while unresolved
	// RemoteLinks are the issue's remote links, as DESIGN's state lists
	// them.
	RemoteLinks []StateRemoteLink `json:"remote_links"`
}

// StateRemoteLink is one remote link in GET /_emulator/state.
type StateRemoteLink struct {
	GlobalID string `json:"global_id"`
	URL      string `json:"url"`
	Title    string `json:"title"`
}

// State is the emulator's section of GET /_emulator/state.
func (s *Server) State() map[string]any {
	var issues []StateIssue
	for _, is := range s.Issues() {
		st := StateIssue{Key: is.Key, Summary: is.Summary, Labels: is.Labels, Description: is.Description, Assignee: is.Assignee,
			Status: is.Status.Name, StatusCategory: is.Status.Category, Resolution: is.Resolution,
			RemoteLinks: []StateRemoteLink{}}
		for _, l := range is.RemoteLinks {
			st.RemoteLinks = append(st.RemoteLinks, StateRemoteLink{GlobalID: l.GlobalID, URL: l.URL, Title: l.Title})
		}
		if !is.Resolved.IsZero() {
			st.ResolutionDate = jiraTime(is.Resolved)
		}
		issues = append(issues, st)
	}
	if issues == nil {
		issues = []StateIssue{}
	}
	return map[string]any{"issues": issues}
}

type ref struct {
	ID        string `json:"id,omitempty"`
	Key       string `json:"key,omitempty"`
	Name      string `json:"name,omitempty"`
	AccountID string `json:"accountId,omitempty"`
}

// createIssue serves POST /rest/api/2/issue.
func (s *Server) createIssue(w http.ResponseWriter, r *http.Request) {
	if s.readOnly(r) {
		writeError(w, http.StatusBadRequest, nil, map[string]string{"project": "You do not have permission to create issues in this project."})
		return
	}
	var body struct {
		Fields map[string]json.RawMessage `json:"fields"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&body); err != nil {
		writeError(w, http.StatusBadRequest, []string{"Can not deserialize the request: " + err.Error()}, nil)
		return
	}
	if body.Fields == nil {
		writeError(w, http.StatusBadRequest, []string{"one of 'fields' or 'update' required"}, nil)
		return
	}
	is := &Issue{Custom: map[string]json.RawMessage{}}
	errs := map[string]string{}
	sent := map[string]bool{}
	var typ ref
	var assignee *ref
	for name, raw := range body.Fields {
		sent[name] = string(raw) != "null"
		var err error
		switch name {
		case "project":
			var p ref
			err = json.Unmarshal(raw, &p)
			is.Project = strings.ToUpper(p.Key)
			if !slices.Contains(s.opts.Projects, is.Project) {
				errs["project"] = "valid project is required"
			}
		case "issuetype":
			err = json.Unmarshal(raw, &typ)
			is.Type = typ.Name + typ.ID
		case "summary":
			err = json.Unmarshal(raw, &is.Summary)
		case "description":
			err = json.Unmarshal(raw, &is.Description)
		case "labels":
			err = json.Unmarshal(raw, &is.Labels)
		case "assignee":
			err = json.Unmarshal(raw, &assignee)
		case "priority":
			var p ref
			err = json.Unmarshal(raw, &p)
			is.Priority = p.Name
		case "parent":
			var p ref
			err = json.Unmarshal(raw, &p)
			is.Parent = p.Key
		default:
			// Other system fields are on the screen only where the
			// project's setup requires them; checkSetup decides.
			is.Custom[name] = raw
		}
		if err != nil {
			errs[name] = fmt.Sprintf("Field '%s' has an invalid value: %v", name, err)
		}
	}
	s.validate(is, errs)
	if errs["project"] == "" {
		s.checkSetup(is, typ, sent, errs)
		if assignee != nil && errs["assignee"] == "" {
			is.Assignee, errs["assignee"] = s.assignee(is.Project, *assignee)
		}
	}
	for k, v := range errs {
		if v == "" {
			delete(errs, k)
		}
	}
	if len(errs) > 0 {
		writeError(w, http.StatusBadRequest, nil, errs)
		return
	}
	s.mu.Lock()
	s.nextID++
	s.nextSeq[is.Project]++
	is.ID = strconv.Itoa(s.nextID)
	is.Key = fmt.Sprintf("%s-%d", is.Project, s.nextSeq[is.Project])
	is.Created = s.opts.Now()
	is.Updated = is.Created
	is.Status = StatusToDo
	s.issues = append(s.issues, is)
	s.byKey[is.Key] = is
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, map[string]string{"id": is.ID, "key": is.Key, "self": s.base(r) + "/rest/api/2/issue/" + is.ID})
}

func (s *Server) validate(is *Issue, errs map[string]string) {
	switch {
	case is.Project == "" && errs["project"] == "":
		errs["project"] = "project is required"
	}
	if is.Type == "" {
		errs["issuetype"] = "issue type is required"
	}
	switch {
	case strings.TrimSpace(is.Summary) == "":
		errs["summary"] = "You must specify a summary of the issue."
	case strings.ContainsAny(is.Summary, "\r\n"):
		errs["summary"] = "The summary is invalid because it contains newline characters."
	case utf8.RuneCountInString(is.Summary) > 255:
		errs["summary"] = "Summary must be less than 255 characters."
	}
	if utf8.RuneCountInString(is.Description) > 32767 {
		errs["description"] = "The entered text is too long. It exceeds the allowed limit of 32767 characters."
	}
	for _, l := range is.Labels {
		switch {
		case strings.ContainsAny(l, " \t\r\n"):
			errs["labels"] = fmt.Sprintf("The label '%s' contains spaces which is invalid.", l)
		case utf8.RuneCountInString(l) > 255:
			errs["labels"] = "The label must not exceed 255 characters."
		}
	}
	if is.Parent != "" {
		s.mu.Lock()
		_, ok := s.byKey[is.Parent]
		s.mu.Unlock()
		if !ok {
			errs["parent"] = "Could not find issue by id or key."
		}
	}
}

// assignee checks the assignee as the deployment names people: Cloud only
// by accountId (names went with GDPR), Data Center by name; and only
// where the user is assignable in the project.
func (s *Server) assignee(project string, a ref) (string, string) {
	for _, u := range s.opts.Users {
		id := ""
		switch {
		case s.opts.Deployment == Cloud && a.AccountID != "" && a.AccountID == u.AccountID:
			id = u.AccountID
		case s.opts.Deployment != Cloud && a.Name != "" && a.Name == u.Name:
			id = u.Name
		default:
			continue
		}
		if u.Assignable != nil && !slices.ContainsFunc(u.Assignable, func(p string) bool { return strings.EqualFold(p, project) }) {
			return "", fmt.Sprintf("User '%s' cannot be assigned issues.", id)
		}
		return id, ""
	}
	if s.opts.Deployment == Cloud && a.AccountID == "" {
		return "", "Specify the user by accountId: the name property is not supported."
	}
	return "", fmt.Sprintf("User '%s' cannot be assigned issues.", a.AccountID+a.Name)
}

func (s *Server) find(idOrKey string) *Issue {
	if is, ok := s.byKey[strings.ToUpper(idOrKey)]; ok {
		return is
	}
	for _, is := range s.issues {
		if is.ID == idOrKey {
			return is
		}
	}
	return nil
}

func issueNotFound(w http.ResponseWriter) {
	writeError(w, http.StatusNotFound, []string{"Issue does not exist or you do not have permission to see it."}, nil)
}

// getIssue serves GET /rest/api/2/issue/{key}, by key or id.
func (s *Server) getIssue(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	is := s.find(r.PathValue("key"))
	var v map[string]any
	if is != nil {
		v = s.issueJSON(r, is, nil)
	}
	s.mu.Unlock()
	if is == nil {
		issueNotFound(w)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// issueJSON renders an issue; fields limits the fields (nil: all of them,
// empty: none, as /search/jql does by default). Callers hold s.mu.
func (s *Server) issueJSON(r *http.Request, is *Issue, fields []string) map[string]any {
	base := s.base(r)
	v := map[string]any{
		"expand": "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations",
		"id":     is.ID,
		"self":   base + "/rest/api/2/issue/" + is.ID,
		"key":    is.Key,
	}
	if fields != nil && len(fields) == 0 {
		return v
	}
	created := jiraTime(is.Created)
	all := map[string]any{
		"summary":        is.Summary,
		"description":    nullable(is.Description),
		"labels":         nonNil(is.Labels),
		"issuetype":      map[string]any{"self": base + "/rest/api/2/issuetype/3", "id": "3", "description": "A task that needs to be done.", "iconUrl": base + "/images/icons/issuetypes/task.png", "name": is.Type, "subtask": false},
		"project":        map[string]any{"self": base + "/rest/api/2/project/" + is.Project, "id": "10000", "key": is.Project, "name": is.Project, "avatarUrls": map[string]string{"48x48": base + "/avatar/p48.png"}},
		"status":         statusJSON(base, is.Status),
		"resolution":     nil,
		"resolutiondate": nil,
		"created":        created,
		"updated":        jiraTime(is.Updated),
		"assignee":       s.userJSON(r, is.Assignee),
		"reporter":       nil,
		"priority":       nil,
	}
	if is.Resolution != "" {
		all["resolution"] = resolutionJSON(base, is.Resolution)
		all["resolutiondate"] = jiraTime(is.Resolved)
	}
	if is.Priority != "" {
		all["priority"] = map[string]any{"self": base + "/rest/api/2/priority/3", "name": is.Priority, "id": "3"}
	}
	if is.Parent != "" {
		all["parent"] = map[string]any{"key": is.Parent}
	}
	for k, raw := range is.Custom {
		all[k] = raw
	}
	out := map[string]any{}
	for k, val := range all {
		if fields == nil || slices.Contains(fields, k) || slices.Contains(fields, "*all") || slices.Contains(fields, "*navigable") {
			out[k] = val
		}
	}
	v["fields"] = out
	return v
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nonNil(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}
