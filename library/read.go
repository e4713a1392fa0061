package library

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/wrapup/wrapup/internal/folder"
	"github.com/wrapup/wrapup/render"
	"github.com/wrapup/wrapup/timeline"
	"github.com/wrapup/wrapup/trackers"
)

// folderData is what one incident folder holds for the index.
type folderData struct {
	name     string
	tl       *timeline.Timeline
	tickets  map[string]timeline.Ticket
	states   map[string]trackers.TicketState
	markdown bool
	html     bool
}

// readFolders reads every incident folder directly under dir, in name
// order. A folder that is not one (no timeline.json), or that cannot be
// read (another version's schema, a broken file), is skipped and said so;
// files and hidden folders are not folders of incidents and are passed
// over in silence, except a run's staging folder. Only an unreadable dir
// is an error.
func readFolders(ctx context.Context, dir string) ([]*folderData, []Skipped, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("index: %w", err)
	}
	var out []*folderData
	var skipped []Skipped
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		name := e.Name()
		switch {
		case strings.HasPrefix(name, folder.StagingName("")) && e.IsDir():
			skipped = append(skipped, Skipped{name, "a run's staging folder: the incident is not wrapped up yet"})
			continue
		case strings.HasPrefix(name, "."):
			continue
		case e.Type()&fs.ModeSymlink != 0:
			skipped = append(skipped, Skipped{name, "a symbolic link: not followed"})
			continue
		case !e.IsDir():
			continue
		}
		fd, why := readFolder(ctx, filepath.Join(dir, name))
		if why != "" {
			skipped = append(skipped, Skipped{name, why})
			continue
		}
		fd.name = name
		out = append(out, fd)
	}
	return out, skipped, nil
}

// readFolder reads one folder; why says why it is not an incident's.
func readFolder(ctx context.Context, dir string) (*folderData, string) {
	f, err := os.Open(filepath.Join(dir, render.TimelineFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, "no " + render.TimelineFile + ": not an incident folder"
	}
	if err != nil {
		return nil, err.Error()
	}
	tl, err := timeline.Decode(f)
	f.Close()
	if err != nil {
		return nil, render.TimelineFile + ": " + err.Error()
	}
	fd := &folderData{tl: tl}
	l := &folder.Ledger{Path: filepath.Join(dir, folder.RecordName)}
	if fd.tickets, err = l.Load(ctx); err == nil {
		fd.states, err = l.States(ctx)
	}
	if err != nil {
		return nil, strings.TrimPrefix(err.Error(), "read ledger: ") // names the file
	}
	fd.markdown = isFile(filepath.Join(dir, render.MarkdownFile))
	fd.html = isFile(filepath.Join(dir, render.HTMLFile))
	return fd, ""
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}
