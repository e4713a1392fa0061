package jiratest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Status is a workflow status and its category, as Jira writes them.
type Status struct {
	ID, Name string
	// Category is the status category's key: "new", "indeterminate" or
	// "done" (Jira's three, which go-jira names StatusCategoryToDo,
	// StatusCategoryInProgress and StatusCategoryComplete).
	Category string
}

// The emulator's workflow, every project alike: Jira Cloud's simplified
// workflow (To Do, In Progress, Done, any status to any other), plus a
// Won't Do status in the done category, as Jira Work Management's default
// workflows have. Its transitions are global, named after their target,
// and keep Jira's numbering (11, 21, 31, ...).
var (
	StatusToDo       = Status{ID: "10000", Name: "To Do", Category: "new"}
	StatusInProgress = Status{ID: "3", Name: "In Progress", Category: "indeterminate"}
	StatusDone       = Status{ID: "10001", Name: "Done", Category: "done"}
	StatusWontDo     = Status{ID: "10002", Name: "Won't Do", Category: "done"}
)

type transition struct {
	id string
	to Status
	// resolution is set by the transition when the request sets none;
	// "" clears it (a transition out of the done category).
	resolution string
}

var transitions = []transition{
	{id: "11", to: StatusToDo},
	{id: "21", to: StatusInProgress},
	{id: "31", to: StatusDone, resolution: "Done"},
	{id: "41", to: StatusWontDo, resolution: "Won't Do"},
}

// Resolutions are the resolutions the site has: Jira Cloud's defaults.
var Resolutions = []string{"Done", "Won't Do", "Duplicate", "Cannot Reproduce"}

var statusCategories = map[string]map[string]any{
	"new":           {"id": 2, "key": "new", "colorName": "blue-gray", "name": "To Do"},
	"indeterminate": {"id": 4, "key": "indeterminate", "colorName": "yellow", "name": "In Progress"},
	"done":          {"id": 3, "key": "done", "colorName": "green", "name": "Done"},
}

func statusJSON(base string, st Status) map[string]any {
	cat := map[string]any{"self": fmt.Sprintf("%s/rest/api/2/statuscategory/%d", base, statusCategories[st.Category]["id"])}
	for k, v := range statusCategories[st.Category] {
		cat[k] = v
	}
	return map[string]any{"self": base + "/rest/api/2/status/" + st.ID, "description": "", "iconUrl": base + "/images/icons/statuses/generic.png",
		"name": st.Name, "id": st.ID, "statusCategory": cat}
}

func resolutionJSON(base, name string) any {
	i := slices.Index(Resolutions, name)
	if i < 0 {
		return nil
	}
	id := fmt.Sprint(10000 + i)
	return map[string]any{"self": base + "/rest/api/2/resolution/" + id, "id": id, "description": "", "name": name}
}

// getTransitions serves GET /rest/api/2/issue/{key}/transitions: every
// transition but the one to the status the issue is in, as a simplified
// workflow offers them.
func (s *Server) getTransitions(w http.ResponseWriter, r *http.Request) {
	is := s.lockedIssue(w, r)
	if is == nil {
		return
	}
	defer s.mu.Unlock()
	base := s.base(r)
	out := []map[string]any{}
	for _, t := range transitions {
		if t.to.ID == is.Status.ID {
			continue
		}
		v := map[string]any{"id": t.id, "name": t.to.Name, "to": statusJSON(base, t.to)}
		if strings.Contains(r.URL.Query().Get("expand"), "transitions.fields") {
			fields := map[string]any{}
			if t.to.Category == "done" {
				var allowed []any
				for _, name := range Resolutions {
					allowed = append(allowed, resolutionJSON(base, name))
				}
				fields["resolution"] = map[string]any{"required": false, "schema": map[string]any{"type": "resolution", "system": "resolution"},
					"name": "Resolution", "key": "resolution", "hasDefaultValue": true, "operations": []string{"set"}, "allowedValues": allowed}
			}
			v["fields"] = fields
		}
		out = append(out, v)
	}
	writeJSON(w, http.StatusOK, map[string]any{"expand": "transitions", "transitions": out})
}

// doTransition serves POST /rest/api/2/issue/{key}/transitions: 204 and
// no body on success. A transition into the done category sets the
// resolution (the one asked for, else its own) and the resolution date;
// one out of it clears both, as Jira's simplified workflows do.
func (s *Server) doTransition(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Transition struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"transition"`
		Fields map[string]json.RawMessage `json:"fields"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&body); err != nil {
		writeError(w, http.StatusBadRequest, []string{"Can not deserialize the request: " + err.Error()}, nil)
		return
	}
	is := s.lockedIssue(w, r)
	if is == nil {
		return
	}
	defer s.mu.Unlock()
	if body.Transition.ID == "" {
		writeError(w, http.StatusBadRequest, []string{"Missing 'transition' identifier"}, nil)
		return
	}
	i := slices.IndexFunc(transitions, func(t transition) bool { return t.id == body.Transition.ID })
	if i < 0 || transitions[i].to.ID == is.Status.ID {
		writeError(w, http.StatusBadRequest, []string{fmt.Sprintf("Transition id '%s' is not valid for this issue.", body.Transition.ID)}, nil)
		return
	}
	t := transitions[i]
	resolution := t.resolution
	for name, raw := range body.Fields {
		if name != "resolution" || t.to.Category != "done" {
			// A transition without a screen takes no fields.
			writeError(w, http.StatusBadRequest, nil, map[string]string{name: fmt.Sprintf("Field '%s' cannot be set. It is not on the appropriate screen, or unknown.", name)})
			return
		}
		var res ref
		if err := json.Unmarshal(raw, &res); err != nil || !slices.Contains(Resolutions, res.Name) {
			writeError(w, http.StatusBadRequest, nil, map[string]string{"resolution": "Could not find valid 'id' or 'name' in resolution object."})
			return
		}
		resolution = res.Name
	}
	is.Status, is.Resolution, is.Resolved = t.to, resolution, time.Time{}
	if resolution != "" {
		is.Resolved = s.opts.Now()
	}
	is.Updated = s.opts.Now()
	w.WriteHeader(http.StatusNoContent)
}

// deleteIssue serves DELETE /rest/api/2/issue/{key}: 204, and the issue
// is gone from gets and searches; a JQL naming its key is then an error.
// An issue with subtasks needs deleteSubtasks=true.
func (s *Server) deleteIssue(w http.ResponseWriter, r *http.Request) {
	if s.readOnly(r) {
		writeError(w, http.StatusForbidden, []string{"You do not have permission to delete issues in this project."}, nil)
		return
	}
	is := s.lockedIssue(w, r)
	if is == nil {
		return
	}
	defer s.mu.Unlock()
	gone := []*Issue{is}
	for _, sub := range s.issues {
		if sub.Parent == is.Key {
			if r.URL.Query().Get("deleteSubtasks") != "true" {
				writeError(w, http.StatusBadRequest, []string{"The issue has subtasks. Set deleteSubtasks to true to delete it with them."}, nil)
				return
			}
			gone = append(gone, sub)
		}
	}
	for _, g := range gone {
		s.issues = slices.DeleteFunc(s.issues, func(x *Issue) bool { return x == g })
		for k, x := range s.byKey {
			if x == g {
				delete(s.byKey, k)
			}
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

// Move moves an issue to another project, as Jira's move does: it gets
// the next key there, and its old key still finds it, in gets and in JQL
// (whose answers carry the new key). It returns the new key.
func (s *Server) Move(key, project string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	is := s.find(key)
	if is == nil {
		return "", fmt.Errorf("no issue %s", key)
	}
	project = strings.ToUpper(project)
	if !slices.Contains(s.opts.Projects, project) {
		return "", fmt.Errorf("no project %s", project)
	}
	s.nextSeq[project]++
	is.OldKeys = append(is.OldKeys, is.Key)
	is.Project = project
	is.Key = fmt.Sprintf("%s-%d", project, s.nextSeq[project])
	s.byKey[is.Key] = is
	return is.Key, nil
}

var keyRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*-[0-9]+$`)

// unknownKeys returns Jira's messages for the keys a query names that no
// issue has: Jira refuses such a query whole, with a 400 that lists them
// all. Callers hold s.mu.
func (s *Server) unknownKeys(q query) []string {
	var msgs []string
	for _, c := range q.clauses {
		if c.field != "key" {
			continue
		}
		for _, v := range c.values {
			switch {
			case !keyRE.MatchString(v):
				msgs = append(msgs, fmt.Sprintf("The issue key '%s' for field 'key' is invalid.", v))
			case s.byKey[strings.ToUpper(v)] == nil:
				msgs = append(msgs, fmt.Sprintf("An issue with key '%s' does not exist for field 'key'.", v))
			}
		}
	}
	return msgs
}
