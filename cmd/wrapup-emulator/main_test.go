package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/wrapup/wrapup/internal/demo"
)

// startEmulator runs the command in-process and returns its base URL.
func startEmulator(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, pw, io.Discard); pw.Close() }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("emulator: %v", err)
		}
	})
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, pr)
	url, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
	if !ok || !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("first line %q", line)
	}
	return url
}

func TestEmulatorServesAllThree(t *testing.T) {
	base := startEmulator(t, "--demo", "--token", "xoxb-test", "--workspace-url", "https://demo.slack.com/")
	api := slack.New("xoxb-test", slack.OptionAPIURL(base+"/api/"))
	auth, err := api.AuthTest()
	if err != nil || auth.URL != "https://demo.slack.com/" {
		t.Fatalf("auth.test %+v %v", auth, err)
	}
	if _, err := slack.New("wrong", slack.OptionAPIURL(base+"/api/")).AuthTest(); err == nil || err.Error() != "invalid_auth" {
		t.Errorf("wrong token: %v", err)
	}
	chans, _, err := api.GetConversations(&slack.GetConversationsParameters{Types: []string{"public_channel", "private_channel"}})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range chans {
		found = found || c.Name == demo.Channel
	}
	if !found {
		t.Errorf("the demo channel is not in conversations.list: %v", chans)
	}
	client := &http.Client{Timeout: 5 * time.Second}
	for path, want := range map[string]int{"/rest/api/2/myself": 401, "/api/v3/repos/octo/ops/issues": 401} {
		resp, err := client.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s without a token: %d, want %d", path, resp.StatusCode, want)
		}
	}
	resp, err := client.Get(base + "/_emulator/state")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var state map[string]json.RawMessage
	if err := json.NewDecoder(resp.Body).Decode(&state); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"slack", "jira", "github"} {
		if _, ok := state[k]; !ok {
			t.Errorf("state lacks %q: %v", k, state)
		}
	}
}

func TestEmulatorRefusesNonLoopback(t *testing.T) {
	for _, args := range [][]string{{"--addr", "0.0.0.0:0"}, {"--rate-limits", "maybe"}, {"--nope"}} {
		err := run(context.Background(), args, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "usage") {
			t.Errorf("%v: err = %v", args, err)
		}
	}
}
