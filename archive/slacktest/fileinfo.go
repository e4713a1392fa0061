package slacktest

import (
	"encoding/json"
)

// checkFileInfo is the file_access value of a Slack Connect file whose
// object Slack leaves out of messages: the reader must ask files.info.
const checkFileInfo = "check_file_info"

// hostFile points one file object's private URLs at the emulator and
// returns the file to serve. A seeded file object that says
// "file_access": "check_file_info" is served in messages in the reduced
// form Slack gives Slack Connect files, and in full by files.info.
func (s *Server) hostFile(obj map[string]json.RawMessage, id, name, mimetype string, size int64, content []byte) *file {
	obj["url_private"], _ = json.Marshal(baseMarker + filePath(s.opts.TeamID, id, "", name))
	obj["url_private_download"], _ = json.Marshal(baseMarker + filePath(s.opts.TeamID, id, "download/", name))
	info, _ := json.Marshal(obj)
	var access string
	_ = json.Unmarshal(obj["file_access"], &access)
	if access == checkFileInfo {
		for k := range obj {
			delete(obj, k)
		}
		// The reduced object as Slack sends it in messages and events.
		obj["id"], _ = json.Marshal(id)
		obj["mode"] = json.RawMessage(`"file_access"`)
		obj["file_access"] = json.RawMessage(`"` + checkFileInfo + `"`)
		obj["created"] = json.RawMessage(`0`)
		obj["timestamp"] = json.RawMessage(`0`)
		obj["user"] = json.RawMessage(`""`)
	}
	return &file{id: id, name: name, mimetype: mimetype, size: size, content: content, info: info}
}

// filesInfo serves files.info: the full object of a file the workspace
// knows, its URLs pointing at the emulator.
func (q *request) filesInfo() (any, error) {
	if err := q.needScope("files:read"); err != nil {
		return nil, err
	}
	s := q.s
	s.mu.RLock()
	f, ok := s.files[q.arg("file")]
	s.mu.RUnlock()
	if !ok || f.info == nil {
		return nil, fail("file_not_found")
	}
	return map[string]any{"file": json.RawMessage(f.info), "comments": []any{},
		"response_metadata": map[string]string{"next_cursor": ""}}, nil
}
