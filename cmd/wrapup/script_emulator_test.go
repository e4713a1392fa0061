package main

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/wrapup/wrapup/archive/slackexport"
	"github.com/wrapup/wrapup/archive/slacktest"
	"github.com/wrapup/wrapup/internal/emustack"
)

// scriptCmds are the testscript commands that drive in-process emulators:
//
//	emulator [-world FILE] [-rate-scale N] SEED
//	                          start a Slack emulator seeded with the Slack
//	                          export SEED (the bot is only in the channels
//	                          whose members list it, as on Slack; -world: a
//	                          world file's Slack part; -rate-scale: real
//	                          rate limits, N times faster); sets
//	                          SLACK_API_URL and EMULATOR_URL
//	faults JSON               replace its fault list (POST /_emulator/faults)
//	emustats                  print its call counts (GET /_emulator/stats)
//	emupost PATH JSON         POST JSON to an admin endpoint and print the
//	                          answer (emupost /_emulator/github/merge '{...}')
//	emulate ...               Slack, Jira and GitHub together, for check (check_test.go)
//	waitcall KEY N            wait until the emulators saw N calls of KEY (script_crash_test.go)
//	issues N                  the Jira emulator holds N issues, no key twice
//	verify DIR                the archive folder DIR verifies against its manifest
func scriptCmds() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"emulator": cmdEmulator,
		"faults":   cmdFaults,
		"emustats": cmdEmustats,
		"emustate": cmdEmustate,
		"emupost":  cmdEmupost,
		"emulate":  cmdEmulate,
		"waitcall": cmdWaitcall,
		"issues":   cmdIssues,
		"verify":   cmdVerify,
	}
}

func cmdEmulator(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! emulator")
	}
	opts := slacktest.Options{}
	for len(args) > 1 && strings.HasPrefix(args[0], "-") {
		switch args[0] {
		case "-world": // its Slack part, as wrapup-emulator --world applies it
			w, err := emustack.LoadWorld(ts.MkAbs(args[1]))
			ts.Check(err)
			opts.Distributed, opts.BotUserID, args = w.Slack.Distributed(), w.Slack.BotUser, args[2:]
		case "-rate-scale": // --rate-limits real --rate-scale N
			scale, err := strconv.ParseFloat(args[1], 64)
			ts.Check(err)
			opts.RateLimits, opts.RateScale, args = true, scale, args[2:]
		default:
			ts.Fatalf("emulator: unknown flag %s", args[0])
		}
	}
	if len(args) != 1 {
		ts.Fatalf("usage: emulator [-world FILE] [-rate-scale N] SEED")
	}
	exp, err := slackexport.Open(ts.MkAbs(args[0]), slackexport.Options{})
	ts.Check(err)
	defer exp.Close()
	srv := slacktest.New(opts)
	for _, ch := range exp.Channels() {
		a, err := exp.Read(ch.ID)
		ts.Check(err)
		ts.Check(srv.AddArchive(a))
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	ts.Check(err)
	hs := &httptest.Server{Listener: l, Config: &http.Server{Handler: srv}}
	hs.Start()
	ts.Defer(hs.Close)
	ts.Setenv("SLACK_API_URL", hs.URL+"/api/")
	ts.Setenv("EMULATOR_URL", hs.URL)
}

// adminCall calls the emulator's admin API and prints its answer.
func adminCall(ts *testscript.TestScript, method, path string, body []byte) {
	base := ts.Getenv("EMULATOR_URL")
	if base == "" {
		ts.Fatalf("no emulator: run emulator SEED first")
	}
	req, err := http.NewRequest(method, base+path, bytes.NewReader(body))
	ts.Check(err)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	ts.Check(err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	ts.Check(err)
	if resp.StatusCode != http.StatusOK {
		ts.Fatalf("%s %s: %s: %s", method, path, resp.Status, b)
	}
	_, _ = ts.Stdout().Write(b)
}

func cmdFaults(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: faults JSON")
	}
	adminCall(ts, http.MethodPost, "/_emulator/faults", []byte(args[0]))
}

func cmdEmustats(ts *testscript.TestScript, neg bool, args []string) {
	adminCall(ts, http.MethodGet, "/_emulator/stats", nil)
}

func cmdEmustate(ts *testscript.TestScript, neg bool, args []string) {
	adminCall(ts, http.MethodGet, "/_emulator/state", nil)
}

func cmdEmupost(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 || !strings.HasPrefix(args[0], "/_emulator/") {
		ts.Fatalf("usage: emupost /_emulator/PATH JSON")
	}
	adminCall(ts, http.MethodPost, args[0], []byte(args[1]))
}
