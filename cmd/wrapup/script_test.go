package main

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/wrapup/wrapup/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite testscript files' golden output")

func TestMain(m *testing.M) {
	if dir := os.Getenv(benchExportEnv); dir != "" {
		os.Exit(writeBenchExport(dir)) // render_bench_test.go
	}
	testscript.Main(m, map[string]func(){
		"wrapup": func() { os.Exit(mainCode()) },
	})
}

// TestScripts runs the CLI end to end: testdata/script/*.txtar.
func TestScripts(t *testing.T) {
	root := testenv.RepoRoot(t)
	testscript.Run(t, testscript.Params{
		Dir:           filepath.Join("testdata", "script"),
		UpdateScripts: *update,
		Cmds:          scriptCmds(), // script_emulator_test.go
		Setup: func(e *testscript.Env) error {
			e.Setenv("REPO", root)
			e.Setenv("SHARED", filepath.Join(root, "..", "shared"))
			return nil
		},
	})
}
