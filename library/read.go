package library

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

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
	var skipped []Skipped
	var names []string
	for _, e := range entries {
		name := e.Name()
		switch {
		case strings.HasPrefix(name, folder.StagingName("")) && e.IsDir():
			skipped = append(skipped, Skipped{name, "a run's staging folder: the incident is not wrapped up yet"})
		case strings.HasPrefix(name, "."):
		case e.Type()&fs.ModeSymlink != 0:
			skipped = append(skipped, Skipped{name, "a symbolic link: not followed"})
		case e.IsDir():
			names = append(names, name)
		}
	}
	// The folders are read side by side: the time goes to opening files.
	fds, whys := make([]*folderData, len(names)), make([]string, len(names))
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(readers, len(names)) {
		wg.Go(func() {
			for i := range work {
				fds[i], whys[i] = readFolder(ctx, filepath.Join(dir, names[i]))
			}
		})
	}
	for i := range names {
		work <- i
	}
	close(work)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	var out []*folderData
	for i, name := range names {
		if whys[i] != "" {
			skipped = append(skipped, Skipped{name, whys[i]})
			continue
		}
		fds[i].name = name
		out = append(out, fds[i])
	}
	slices.SortFunc(skipped, func(a, b Skipped) int { return strings.Compare(a.Folder, b.Folder) })
	return out, skipped, nil
}

// readers is how many folders are read at once.
const readers = 8

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
