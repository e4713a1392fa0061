package pipeline

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/slackexport"
	"github.com/wrapup/wrapup/internal/folder"
	"github.com/wrapup/wrapup/render"
)

// folderWrites is what a run writes into its incident folder. A dry run
// puts its plan in its place, as it does for Slack (slackWrites) and the
// tracker (trackers.DryRun): the steps say what to do once.
type folderWrites interface {
	// Checkpoints readies dir for an export's checkpoint and returns it;
	// "" keeps none.
	Checkpoints(dir string) (string, error)
	// SaveArchive writes a fetched channel and verifies it against the
	// counts the export reported.
	SaveArchive(dir string, a *archive.Archive, counts archive.Counts, opts slackexport.WriteOptions) error
	// RewriteArchive writes a changed archive, and returns its counts.
	RewriteArchive(dir string, a *archive.Archive, opts slackexport.WriteOptions) (archive.Counts, error)
	// VerifyArchive checks the archive on disk against counts.
	VerifyArchive(dir string, counts *archive.Counts) error
	WriteDocuments(dir string, files []render.OutFile, force bool) (*folder.Written, error)
	SaveRecord(rec *folder.Record, path string) error
	Promote(staging, final, channelID string) error
}

// disk is folderWrites on the disk.
type disk struct{}

func (disk) Checkpoints(dir string) (string, error) { return dir, os.MkdirAll(dir, 0o700) }

func (disk) SaveArchive(dir string, a *archive.Archive, counts archive.Counts, opts slackexport.WriteOptions) error {
	_, err := slackexport.WriteVerified(dir, a, counts, opts)
	return err
}

func (disk) RewriteArchive(dir string, a *archive.Archive, opts slackexport.WriteOptions) (archive.Counts, error) {
	man, err := slackexport.Write(dir, a, opts)
	if err != nil {
		return archive.Counts{}, err
	}
	return man.Counts, nil
}

func (disk) VerifyArchive(dir string, counts *archive.Counts) error {
	_, err := slackexport.Verify(dir, counts)
	return err
}

func (disk) WriteDocuments(dir string, files []render.OutFile, force bool) (*folder.Written, error) {
	return folder.WriteDocuments(dir, files, force)
}

func (disk) SaveRecord(rec *folder.Record, path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	return rec.Save(path)
}

func (disk) Promote(staging, final, channelID string) error {
	return folder.Promote(staging, final, channelID)
}

// folderPlan is a dry run's folderWrites: it says what it would write and
// writes nothing; the record stays in memory.
type folderPlan struct{ w io.Writer }

func (folderPlan) Checkpoints(string) (string, error) { return "", nil }

func (p folderPlan) SaveArchive(_ string, _ *archive.Archive, c archive.Counts, _ slackexport.WriteOptions) error {
	fmt.Fprintf(p.w, "would write the archive: %d messages, %d replies, %d users, %d files\n", c.Messages, c.Replies, c.Users, c.Files)
	return nil
}

func (p folderPlan) RewriteArchive(_ string, a *archive.Archive, _ slackexport.WriteOptions) (archive.Counts, error) {
	fmt.Fprintf(p.w, "would add the wrap-up message to the archive\n")
	return a.Counts(), nil
}

func (folderPlan) VerifyArchive(string, *archive.Counts) error { return nil }

func (p folderPlan) WriteDocuments(_ string, files []render.OutFile, _ bool) (*folder.Written, error) {
	w := &folder.Written{}
	for _, f := range files {
		size := int64(len(f.Data))
		if f.Stream != nil { // rendered as it is written: counted, not kept
			c := &countingWriter{}
			if err := f.Stream(c); err != nil {
				return nil, fmt.Errorf("render %s: %w", f.Name, err)
			}
			size = c.n
		}
		fmt.Fprintf(p.w, "would write %s (%d bytes)\n", f.Name, size)
		w.Files = append(w.Files, f.Name)
	}
	return w, nil
}

func (folderPlan) SaveRecord(*folder.Record, string) error { return nil }

func (folderPlan) Promote(string, string, string) error { return nil }

// countingWriter counts what is written to it, and keeps none of it.
type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}
