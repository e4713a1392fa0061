package githubtest

import (
	"encoding/json"
	"net/http"
	"time"
)

type errorBody struct {
	Message          string       `json:"message"`
	Errors           []fieldError `json:"errors,omitempty"`
	DocumentationURL string       `json:"documentation_url"`
}

type fieldError struct {
	Value    any    `json:"value,omitempty"`
	Resource string `json:"resource"`
	Code     string `json:"code"`
	Field    string `json:"field"`
	Message  string `json:"message,omitempty"`
}

func errBody(msg, doc string) errorBody { return errorBody{Message: msg, DocumentationURL: doc} }

func validationFailed(w http.ResponseWriter, doc string, errs ...fieldError) {
	writeJSON(w, http.StatusUnprocessableEntity, errorBody{Message: "Validation Failed", Errors: errs, DocumentationURL: doc})
}

func notFound(w http.ResponseWriter) {
	writeJSON(w, http.StatusNotFound, errBody("Not Found", "https://docs.github.com/rest"))
}

// readBody decodes the request's JSON body, of at most limit bytes, into
// v; on a body that does not parse it answers GitHub's 400 "Problems
// parsing JSON", pointing at doc, and returns false.
func readBody(w http.ResponseWriter, r *http.Request, limit int64, doc string, v any) bool {
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, limit)).Decode(v); err != nil {
		writeJSON(w, http.StatusBadRequest, errBody("Problems parsing JSON", doc))
		return false
	}
	return true
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"message":"cannot encode the response"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if status < 300 {
		w.Header().Set("Cache-Control", "private, max-age=60, s-maxage=60")
		w.Header().Set("Vary", "Accept, Authorization, Cookie, X-GitHub-OTP")
	}
	w.WriteHeader(status)
	w.Write(b)
}

func ghTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }
