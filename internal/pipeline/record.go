package pipeline

// The steps of a run, in order (DESIGN "wrapup run").
const (
	StepExport   = "export"
	StepTimeline = "timeline"
	StepLedger   = "ledger"
	StepFile     = "file"
	StepRender   = "render"
	StepUpdate   = "update"
	StepArchive  = "archive"
)

// Steps lists the steps in the order they run.
var Steps = []string{StepExport, StepTimeline, StepLedger, StepFile, StepRender, StepPublish, StepUpdate, StepArchive}
