package jiratest

import (
	"encoding/json"
	"net/http"
	"time"
)

// writeError writes Jira's error envelope. Both keys are always present,
// as in the recordings.
func writeError(w http.ResponseWriter, status int, messages []string, fields map[string]string) {
	if messages == nil {
		messages = []string{}
	}
	if fields == nil {
		fields = map[string]string{}
	}
	writeJSON(w, status, map[string]any{"errorMessages": messages, "errors": fields})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"errorMessages":["cannot encode the response"],"errors":{}}`)
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	w.Write(b)
}

func jiraTime(t time.Time) string { return t.Format(TimeFormat) }
