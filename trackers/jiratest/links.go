package jiratest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// lockedIssue takes s.mu and finds the issue of the path's {key}; on nil
// it has answered 404 and released the lock. Otherwise the caller holds
// s.mu and must release it.
func (s *Server) lockedIssue(w http.ResponseWriter, r *http.Request) *Issue {
	s.mu.Lock()
	is := s.find(r.PathValue("key"))
	if is == nil {
		s.mu.Unlock()
		issueNotFound(w)
	}
	return is
}

func remoteLinkSelf(r *http.Request, is *Issue, id int) string {
	return fmt.Sprintf("http://%s/rest/api/2/issue/%s/remotelink/%d", r.Host, is.Key, id)
}

// listRemoteLinks serves GET /rest/api/2/issue/{key}/remotelink.
func (s *Server) listRemoteLinks(w http.ResponseWriter, r *http.Request) {
	is := s.lockedIssue(w, r)
	if is == nil {
		return
	}
	defer s.mu.Unlock()
	out := []map[string]any{}
	for _, l := range is.RemoteLinks {
		out = append(out, map[string]any{"id": l.ID, "self": remoteLinkSelf(r, is, l.ID), "globalId": l.GlobalID,
			"object": map[string]any{"url": l.URL, "title": l.Title}})
	}
	writeJSON(w, http.StatusOK, out)
}

// addRemoteLink serves POST /rest/api/2/issue/{key}/remotelink. A POST
// with the globalId of an existing link updates it: that is what makes
// remote links idempotent.
func (s *Server) addRemoteLink(w http.ResponseWriter, r *http.Request) {
	is := s.lockedIssue(w, r)
	if is == nil {
		return
	}
	defer s.mu.Unlock()
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
			writeJSON(w, http.StatusOK, map[string]any{"id": l.ID, "self": remoteLinkSelf(r, is, l.ID)})
			return
		}
	}
	s.nextID++
	l := RemoteLink{ID: s.nextID, GlobalID: body.GlobalID, URL: body.Object.URL, Title: body.Object.Title}
	is.RemoteLinks = append(is.RemoteLinks, l)
	writeJSON(w, http.StatusCreated, map[string]any{"id": l.ID, "self": remoteLinkSelf(r, is, l.ID)})
}

// commentJSON renders a comment; Jira stamps it when it is read, as the
// emulator keeps no comment times.
func (s *Server) commentJSON(r *http.Request, is *Issue, c Comment) map[string]any {
	now := jiraTime(s.opts.Now())
	return map[string]any{"self": s.base(r) + "/rest/api/2/issue/" + is.ID + "/comment/" + c.ID, "id": c.ID,
		"author": nil, "body": c.Body, "updateAuthor": nil, "created": now, "updated": now}
}

// listComments serves GET /rest/api/2/issue/{key}/comment.
func (s *Server) listComments(w http.ResponseWriter, r *http.Request) {
	is := s.lockedIssue(w, r)
	if is == nil {
		return
	}
	defer s.mu.Unlock()
	out := []map[string]any{}
	for _, c := range is.Comments {
		out = append(out, s.commentJSON(r, is, c))
	}
	writeJSON(w, http.StatusOK, map[string]any{"startAt": 0, "maxResults": len(out), "total": len(out), "comments": out})
}

// addComment serves POST /rest/api/2/issue/{key}/comment. Cloud rejects
// the empty "visibility" object that go-jira's AddComment sends.
func (s *Server) addComment(w http.ResponseWriter, r *http.Request) {
	is := s.lockedIssue(w, r)
	if is == nil {
		return
	}
	defer s.mu.Unlock()
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
	writeJSON(w, http.StatusCreated, s.commentJSON(r, is, c))
}
