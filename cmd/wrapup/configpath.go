package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// configHelp is the --config flag's help: where the config is looked for.
const configHelp = "wrapup.yaml (default: $WRAPUP_CONFIG, else ./wrapup.yaml, else $XDG_CONFIG_HOME/wrapup/wrapup.yaml, else the built-in defaults)"

// findConfig says which config file a command reads (DESIGN "Commands"):
// --config, else $WRAPUP_CONFIG, else ./wrapup.yaml, else
// $XDG_CONFIG_HOME/wrapup/wrapup.yaml (~/.config/wrapup/wrapup.yaml), else
// none (the built-in defaults). found says it was not named with --config.
func findConfig(flag string, getenv func(string) string) (path string, found bool, err error) {
	if flag != "" {
		return flag, false, nil
	}
	if p := getenv("WRAPUP_CONFIG"); p != "" {
		return p, true, nil
	}
	candidates := []string{"wrapup.yaml"}
	xdg := getenv("XDG_CONFIG_HOME")
	if xdg == "" && getenv("HOME") != "" {
		xdg = filepath.Join(getenv("HOME"), ".config")
	}
	if xdg != "" {
		candidates = append(candidates, filepath.Join(xdg, "wrapup", "wrapup.yaml"))
	}
	for _, c := range candidates {
		_, err := os.Stat(c)
		switch {
		case err == nil:
			return c, true, nil
		case !errors.Is(err, fs.ErrNotExist):
			return "", false, fmt.Errorf("config %s: %w", c, err)
		}
	}
	return "", false, nil
}
