package jiratest

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Project is a project's create setup: which issue types it has, which
// fields a create must set, and which of the fields wrapup sets are on
// its create screen. The zero value past Key is the default setup: issue
// types Task and Bug, nothing required beyond Jira's own, labels and
// assignee on the screen.
type Project struct {
	Key string
	// IssueTypes are the names of the project's issue types; nil means
	// Task and Bug.
	IssueTypes []string
	// RequiredFields are field ids a create must set besides project,
	// issuetype and summary, e.g. customfield_10010 or components.
	RequiredFields []string
	// LabelsOffScreen takes labels off the create screen (world file:
	// labels_on_screen: false): a create that sets them is a 400.
	LabelsOffScreen bool
	// AssigneeOffScreen does the same for the assignee.
	AssigneeOffScreen bool
}

// defaultIssueTypes are the types of a project with none named, with the
// ids GET /project/{key} has always shown.
var defaultIssueTypes = []string{"Task", "Bug"}

// issueType is one issue type with its id.
type issueType struct{ id, name string }

// setupProjects merges Options.Projects (default setup) and
// Options.ProjectSetup into s.projects, and numbers the issue types.
func (s *Server) setupProjects() {
	s.typeIDs = map[string]string{"task": "10001", "bug": "10004"}
	add := func(p Project) {
		p.Key = strings.ToUpper(p.Key)
		if p.IssueTypes == nil {
			p.IssueTypes = defaultIssueTypes
		}
		for _, t := range p.IssueTypes {
			if _, ok := s.typeIDs[strings.ToLower(t)]; !ok {
				s.typeIDs[strings.ToLower(t)] = strconv.Itoa(10100 + len(s.typeIDs))
			}
		}
		if i := slices.IndexFunc(s.projects, func(q Project) bool { return q.Key == p.Key }); i >= 0 {
			s.projects[i] = p
			return
		}
		s.projects = append(s.projects, p)
	}
	for _, k := range s.opts.Projects {
		add(Project{Key: k})
	}
	for _, p := range s.opts.ProjectSetup {
		add(p)
	}
	keys := make([]string, len(s.projects))
	for i, p := range s.projects {
		keys[i] = p.Key
	}
	s.opts.Projects = keys
}

// projectByKey returns the project with the key or id, if any.
func (s *Server) projectByKey(keyOrID string) (Project, bool) {
	for _, p := range s.projects {
		if strings.EqualFold(p.Key, keyOrID) || projectID(s.opts.Projects, p.Key) == keyOrID {
			return p, true
		}
	}
	return Project{}, false
}

// types returns the project's issue types with their ids.
func (s *Server) types(p Project) []issueType {
	out := make([]issueType, len(p.IssueTypes))
	for i, t := range p.IssueTypes {
		out[i] = issueType{id: s.typeIDs[strings.ToLower(t)], name: t}
	}
	return out
}

// issueTypeOf finds the issue type a create names, by id or by name.
func (s *Server) issueTypeOf(p Project, r ref) (issueType, bool) {
	for _, t := range s.types(p) {
		if (r.ID != "" && r.ID == t.id) || (r.ID == "" && strings.EqualFold(r.Name, t.name)) {
			return t, true
		}
	}
	return issueType{}, false
}

// checkSetup adds the errors the project's setup gives a create: an
// issue type it lacks, a required field not set, a field off the screen.
// Messages are Jira's (see the conformance tests for their sources).
func (s *Server) checkSetup(is *Issue, typ ref, sent map[string]bool, errs map[string]string) {
	p, ok := s.projectByKey(is.Project)
	if !ok {
		return
	}
	for name := range is.Custom {
		if !strings.HasPrefix(name, "customfield_") && !slices.Contains(p.RequiredFields, name) {
			errs[name] = fmt.Sprintf("Field '%s' cannot be set. It is not on the appropriate screen, or unknown.", name)
		}
	}
	if typ.ID != "" || typ.Name != "" {
		t, ok := s.issueTypeOf(p, typ)
		if !ok {
			errs["issuetype"] = "The issue type selected is invalid."
		}
		is.Type = t.name
	}
	for _, f := range p.RequiredFields {
		if !sent[f] {
			errs[f] = fmt.Sprintf("%s is required.", fieldName(f))
		}
	}
	offScreen := func(f string) {
		errs[f] = fmt.Sprintf("Field '%s' cannot be set. It is not on the appropriate screen, or unknown.", f)
	}
	if p.LabelsOffScreen && sent["labels"] {
		offScreen("labels")
	}
	if p.AssigneeOffScreen && sent["assignee"] {
		offScreen("assignee")
	}
}

// fieldName is how Jira names a field in messages.
func fieldName(id string) string {
	switch id {
	case "components":
		return "Component/s"
	case "fixVersions":
		return "Fix Version/s"
	case "duedate":
		return "Due Date"
	}
	if len(id) > 0 && !strings.HasPrefix(id, "customfield_") {
		return strings.ToUpper(id[:1]) + id[1:]
	}
	return id
}

// createMeta serves the paged create metadata of Jira 8.4+ and Cloud:
// GET /rest/api/2/issue/createmeta/{project}/issuetypes (the project's
// types) and .../issuetypes/{id} (the type's fields). Cloud pages them as
// maxResults/startAt/total with "issueTypes" or "fields"; Data Center as
// "values" with isLast.
func (s *Server) createMeta(w http.ResponseWriter, r *http.Request) {
	key, typeID := r.PathValue("project"), r.PathValue("type")
	p, ok := s.projectByKey(key)
	if !ok {
		writeError(w, http.StatusNotFound, []string{"No project could be found with key '" + key + "'."}, nil)
		return
	}
	if s.readOnly(r) {
		// "Data will not be returned if the user does not have permission
		// to create issues in that project."
		writeError(w, http.StatusForbidden, []string{"You do not have permission to create issues in this project."}, nil)
		return
	}
	base := s.base(r)
	var items []map[string]any
	listKey := "issueTypes"
	if typeID == "" {
		for _, t := range s.types(p) {
			items = append(items, map[string]any{"self": base + "/rest/api/2/issuetype/" + t.id, "id": t.id,
				"name": t.name, "description": "", "subtask": false, "iconUrl": base + "/images/icons/issuetypes/" + t.id + ".svg"})
		}
	} else {
		listKey = "fields"
		if !slices.ContainsFunc(s.types(p), func(t issueType) bool { return t.id == typeID }) {
			writeError(w, http.StatusNotFound, []string{"Issue type with id '" + typeID + "' does not exist in project " + p.Key + "."}, nil)
			return
		}
		items = s.fieldsMeta(p)
	}
	if s.opts.Deployment == Cloud {
		writeJSON(w, http.StatusOK, map[string]any{"maxResults": 50, "startAt": 0, "total": len(items), listKey: items})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"maxResults": 50, "startAt": 0, "total": len(items), "isLast": true, "values": items})
}

// fieldsMeta describes the fields on the project's create screen.
func (s *Server) fieldsMeta(p Project) []map[string]any {
	field := func(id string, required bool, schema map[string]any) map[string]any {
		return map[string]any{"fieldId": id, "key": id, "name": fieldName(id), "required": required,
			"hasDefaultValue": false, "operations": []string{"set"}, "schema": schema}
	}
	out := []map[string]any{
		field("project", true, map[string]any{"type": "project", "system": "project"}),
		field("issuetype", true, map[string]any{"type": "issuetype", "system": "issuetype"}),
		field("summary", true, map[string]any{"type": "string", "system": "summary"}),
		field("description", false, map[string]any{"type": "string", "system": "description"}),
		field("priority", false, map[string]any{"type": "priority", "system": "priority"}),
		field("parent", false, map[string]any{"type": "issuelink", "system": "parent"}),
	}
	if !p.LabelsOffScreen {
		out = append(out, field("labels", false, map[string]any{"type": "array", "items": "string", "system": "labels"}))
	}
	if !p.AssigneeOffScreen {
		out = append(out, field("assignee", false, map[string]any{"type": "user", "system": "assignee"}))
	}
	for _, f := range p.RequiredFields {
		schema := map[string]any{"type": "string", "system": f}
		if strings.HasPrefix(f, "customfield_") {
			schema = map[string]any{"type": "string", "custom": "com.atlassian.jira.plugin.system.customfieldtypes:textfield"}
		}
		out = append(out, field(f, true, schema))
	}
	return out
}
