package library

import (
	"time"
)

// JSON is `wrapup index --json`'s document, DESIGN "Commands"' shape
// exactly; a figure not known is null.
type JSON struct {
	Incidents []JSONIncident `json:"incidents"`
	Months    []JSONMonth    `json:"months"`
}

// JSONIncident is one incident in [JSON].
type JSONIncident struct {
	Folder         string     `json:"folder"`
	Title          string     `json:"title"`
	Severity       string     `json:"severity"`
	PeakSeverity   string     `json:"peak_severity"`
	DeclaredAt     *time.Time `json:"declared_at"`
	TimeToMitigate *int64     `json:"time_to_mitigate_s"`
	TimeToResolve  *int64     `json:"time_to_resolve_s"`
	Responders     int64      `json:"responders"`
	ActionItems    Actions    `json:"action_items"`
}

// JSONMonth is one month in [JSON].
type JSONMonth struct {
	Month     string `json:"month"`
	Incidents int    `json:"incidents"`
	MedianTTM *int64 `json:"median_ttm_s"`
	MedianTTR *int64 `json:"median_ttr_s"`
	P90TTR    *int64 `json:"p90_ttr_s"`
	Opened    int    `json:"action_items_opened"`
	Done      int    `json:"action_items_done"`
}

// JSON returns the index as `wrapup index --json` prints it: incidents
// newest first, months oldest first.
func (idx *Index) JSON() JSON {
	out := JSON{Incidents: []JSONIncident{}, Months: []JSONMonth{}}
	for _, in := range idx.Incidents {
		out.Incidents = append(out.Incidents, in.json())
	}
	for _, m := range idx.Months {
		out.Months = append(out.Months, JSONMonth{Month: m.Label, Incidents: m.Incidents, MedianTTM: m.MedianTTM,
			MedianTTR: m.MedianTTR, P90TTR: m.P90TTR, Opened: m.Actions.Total, Done: m.Actions.Done})
	}
	return out
}

// json is what --json prints of the incident.
func (in *Incident) json() JSONIncident {
	return JSONIncident{Folder: in.Folder, Title: in.Title, Severity: in.Severity,
		PeakSeverity: in.PeakSeverity, DeclaredAt: in.DeclaredAt, TimeToMitigate: in.TTM, TimeToResolve: in.TTR,
		Responders: in.Responders, ActionItems: in.Actions}
}
