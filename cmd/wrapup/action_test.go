package main

import (
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wrapup/wrapup/internal/demo"
	"github.com/wrapup/wrapup/internal/emustack"
	"github.com/wrapup/wrapup/internal/testenv"
	"go.yaml.in/yaml/v3"
)

// action is the part of action.yml that a runner reads.
type action struct {
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Runs struct {
		Using string `yaml:"using"`
		Steps []struct {
			Uses             string            `yaml:"uses"`
			Shell            string            `yaml:"shell"`
			WorkingDirectory string            `yaml:"working-directory"`
			Run              string            `yaml:"run"`
			Env              map[string]string `yaml:"env"`
		} `yaml:"steps"`
	} `yaml:"runs"`
}

// TestAction runs the composite action's steps the way a runner would:
// each `run` in bash, in its working directory, with its env, the
// expressions ${{ inputs.* }} and ${{ github.action_path }} filled in, and
// RUNNER_TEMP set; setup-go is the Go already here. The command is a sweep
// against the emulators, which wraps up the demo incident.
func TestAction(t *testing.T) {
	root := testenv.RepoRoot(t)
	data, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a action
	if err := yaml.Unmarshal(data, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	if a.Runs.Using != "composite" || len(a.Runs.Steps) == 0 || !strings.HasPrefix(a.Runs.Steps[0].Uses, "actions/setup-go@") {
		t.Fatalf("action.yml: want a composite action that sets up Go first: %+v", a.Runs)
	}
	for _, in := range []string{"command", "config", "go-version"} {
		if _, ok := a.Inputs[in]; !ok {
			t.Errorf("action.yml has no input %q", in)
		}
	}

	stack := emustack.New(emustack.Options{Token: "xoxb-action"})
	arc, err := demo.Archive(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := stack.Seed(arc); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(stack)
	defer srv.Close()

	workspace, temp := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(workspace, "ci.yaml"), []byte("incidents: {resolved_grace: 1h}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	inputs := map[string]string{"command": "sweep --out postmortems", "config": "ci.yaml", "go-version": "1.26"}
	expand := func(s string) string {
		s = strings.ReplaceAll(s, "${{ github.action_path }}", root)
		for k, v := range inputs {
			s = strings.ReplaceAll(s, "${{ inputs."+k+" }}", v)
		}
		return s
	}
	var stderr strings.Builder
	for i, st := range a.Runs.Steps {
		if st.Run == "" {
			continue
		}
		if strings.Contains(st.Run, "${{") {
			t.Errorf("step %d splices an expression into its script; pass it through env instead:\n%s", i, st.Run)
		}
		if st.Shell != "bash" {
			t.Errorf("step %d: shell %q, want bash", i, st.Shell)
		}
		cmd := exec.Command("bash", "-e", "-c", st.Run)
		cmd.Dir = workspace
		if st.WorkingDirectory != "" {
			cmd.Dir = expand(st.WorkingDirectory)
		}
		cmd.Env = append(os.Environ(), "RUNNER_TEMP="+temp, "SLACK_API_URL="+srv.URL, "SLACK_TOKEN=xoxb-action",
			"WRAPUP_RATE_SCALE=1000")
		for k, v := range st.Env {
			cmd.Env = append(cmd.Env, k+"="+expand(v))
		}
		var out strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("step %d: %v\n%s%s", i, err, out.String(), stderr.String())
		}
	}
	if !strings.Contains(stderr.String(), "#incident-2026-03-26-checkout-errors") || !strings.Contains(stderr.String(), " ran ") {
		t.Errorf("the sweep did not run the demo incident:\n%s", stderr.String())
	}
	if _, err := os.Stat(filepath.Join(workspace, "postmortems", "2026-03-26-incident-2026-03-26-checkout-errors", "postmortem.md")); err != nil {
		t.Errorf("no postmortem in the workspace: %v", err)
	}
}
