package main

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/wrapup/wrapup/archive/slackexport"
)

// cmdWaitcall waits until the emulators have seen at least N calls of KEY
// (a key of GET /_emulator/stats), so that a script can kill a background
// run at a chosen point: `waitcall chat.update 1`, then `kill -KILL`.
func cmdWaitcall(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: waitcall KEY N")
	}
	want, err := strconv.Atoi(args[1])
	ts.Check(err)
	base := ts.Getenv("EMULATOR_URL")
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(base + "/_emulator/stats")
		ts.Check(err)
		var st struct {
			Calls map[string]int `json:"calls"`
		}
		err = json.NewDecoder(resp.Body).Decode(&st)
		resp.Body.Close()
		ts.Check(err)
		if st.Calls[args[0]] >= want {
			return
		}
		if time.Now().After(deadline) {
			ts.Fatalf("waitcall: %s reached %d calls, not %d, in 20s", args[0], st.Calls[args[0]], want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// cmdIssues checks how many issues the Jira emulator holds, and that no two
// carry the same wrapup key label: `issues 4`.
func cmdIssues(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: issues N")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	resp, err := http.Get(ts.Getenv("EMULATOR_URL") + "/_emulator/state")
	ts.Check(err)
	defer resp.Body.Close()
	var st struct {
		Jira struct {
			Issues []struct {
				Key    string   `json:"key"`
				Labels []string `json:"labels"`
			} `json:"issues"`
		} `json:"jira"`
	}
	ts.Check(json.NewDecoder(resp.Body).Decode(&st))
	seen := map[string]string{}
	for _, is := range st.Jira.Issues {
		for _, l := range is.Labels {
			if len(l) > 7 && l[:7] == "wrapup-" {
				if other, dup := seen[l]; dup {
					ts.Fatalf("issues %s and %s both carry %s", other, is.Key, l)
				}
				seen[l] = is.Key
			}
		}
	}
	if len(st.Jira.Issues) != want {
		ts.Fatalf("the Jira emulator holds %d issues, want %d", len(st.Jira.Issues), want)
	}
}

// cmdVerify checks an archive folder against its manifest.
func cmdVerify(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: verify DIR")
	}
	_, err := slackexport.Verify(ts.MkAbs(args[0]), nil)
	if neg != (err != nil) {
		ts.Fatalf("verify %s: %v", args[0], err)
	}
}
