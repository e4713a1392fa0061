package jiratest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// remoteLinks serves GET and POST /rest/api/2/issue/{key}/remotelink. A
// POST with the globalId of an existing link updates it: that is what
// makes remote links idempotent.
func (s *Server) remoteLinks(w http.ResponseWriter, r *http.Request, idOrKey string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	is := s.find(idOrKey)
	if is == nil {
		issueNotFound(w)
		return
	}
	self := func(id int) string { return fmt.Sprintf("%s/rest/api/2/issue/%s/remotelink/%d", s.base(r), is.Key, id) }
	switch r.Method {
	case http.MethodGet:
		out := []map[string]any{}
		for _, l := range is.RemoteLinks {
			out = append(out, map[string]any{"id": l.ID, "self": self(l.ID), "globalId": l.GlobalID,
				"object": map[string]any{"url": l.URL, "title": l.Title}})
		}
		writeJSON(w, http.StatusOK, out)
	case http.MethodPost:
		var body struct {
			GlobalID string `json:"globalId"`
			Object   *struct {
				URL   string `json:"url"`
				Title string `json:"title"`
			} `json:"object"`
		}
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&body); err != nil {
			writeError(w, http.StatusBadRequest, []string{"Can not deserialize the request: " + err.Error()}, nil)
			return
		}
		if body.Object == nil || body.Object.URL == "" || body.Object.Title == "" {
			writeError(w, http.StatusBadRequest, nil, map[string]string{"object": "'url' and 'title' are required."})
			return
		}
		for i, l := range is.RemoteLinks {
			if body.GlobalID != "" && l.GlobalID == body.GlobalID {
				is.RemoteLinks[i].URL, is.RemoteLinks[i].Title = body.Object.URL, body.Object.Title
				writeJSON(w, http.StatusOK, map[string]any{"id": l.ID, "self": self(l.ID)})
				return
			}
		}
		s.nextID++
		l := RemoteLink{ID: s.nextID, GlobalID: body.GlobalID, URL: body.Object.URL, Title: body.Object.Title}
		is.RemoteLinks = append(is.RemoteLinks, l)
		writeJSON(w, http.StatusCreated, map[string]any{"id": l.ID, "self": self(l.ID)})
	default:
		writeError(w, http.StatusMethodNotAllowed, []string{"Method not allowed"}, nil)
	}
}

// comments serves GET and POST /rest/api/2/issue/{key}/comment. Cloud
// rejects the empty "visibility" object that go-jira's AddComment sends.
func (s *Server) comments(w http.ResponseWriter, r *http.Request, idOrKey string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	is := s.find(idOrKey)
	if is == nil {
		issueNotFound(w)
		return
	}
	now := jiraTime(s.opts.Now())
	render := func(c Comment) map[string]any {
		return map[string]any{"self": s.base(r) + "/rest/api/2/issue/" + is.ID + "/comment/" + c.ID, "id": c.ID,
			"author": nil, "body": c.Body, "updateAuthor": nil, "created": now, "updated": now}
	}
	switch r.Method {
	case http.MethodGet:
		out := []map[string]any{}
		for _, c := range is.Comments {
			out = append(out, render(c))
		}
		writeJSON(w, http.StatusOK, map[string]any{"startAt": 0, "maxResults": len(out), "total": len(out), "comments": out})
	case http.MethodPost:
		var body struct {
			Body       string           `json:"body"`
			Visibility *json.RawMessage `json:"visibility"`
		}
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&body); err != nil {
			writeError(w, http.StatusBadRequest, []string{"Can not deserialize the request: " + err.Error()}, nil)
			return
		}
		if s.opts.Deployment == Cloud && body.Visibility != nil {
			var v struct{ Type, Value string }
			if json.Unmarshal(*body.Visibility, &v) != nil || v.Type == "" || v.Value == "" {
				writeError(w, http.StatusBadRequest, nil, map[string]string{"commentLevel": "You are currently not a member of the project role: ."})
				return
			}
		}
		if body.Body == "" {
			writeError(w, http.StatusBadRequest, nil, map[string]string{"comment": "Comment body can not be empty!"})
			return
		}
		s.nextID++
		c := Comment{ID: strconv.Itoa(s.nextID), Body: body.Body}
		is.Comments = append(is.Comments, c)
		writeJSON(w, http.StatusCreated, render(c))
	default:
		writeError(w, http.StatusMethodNotAllowed, []string{"Method not allowed"}, nil)
	}
}
