package slackexport

import (
	"io/fs"
	"path"
	"strings"

	"github.com/wrapup/wrapup/archive"
)

// Where a file's bytes live in an export. wrapup writes the first; readers
// accept all three.
const (
	// attachmentsDir is the folder inside a channel's folder that holds its
	// files as <FILE_ID>-<name>: slackdump's "standard" layout, which
	// wrapup writes.
	attachmentsDir = "attachments"
	// uploadsDir holds files as __uploads/<FILE_ID>/<name>: slackdump's
	// default ("Mattermost") layout.
	uploadsDir = "__uploads"
	// legacyFilesDir is where wrapup before issue 14 kept files, as
	// files/<FILE_ID>-<name>.
	legacyFilesDir = "files"
)

// ChannelFolder is the folder of a's channel inside an export: its name, or
// its ID when it has none (as for a DM).
func ChannelFolder(c *archive.Channel) string {
	if c.Name == "" {
		return c.ID
	}
	return c.Name
}

// AttachmentPath is where Write puts f's bytes, relative to the archive:
// <channel folder>/attachments/<FILE_ID>-<name>, with the name made safe as
// one path element. It is "" for a file whose ID cannot be a file name's
// prefix (readers split the name at the first '-').
func AttachmentPath(c *archive.Channel, f *archive.File) string {
	if !safeName(f.ID) || strings.Contains(f.ID, "-") {
		return ""
	}
	return path.Join(ChannelFolder(c), attachmentsDir, f.ID+"-"+fileName(f))
}

// readFileContents attaches the bytes of the channel's files that the
// export holds, looked up by file ID in, in order: the channel's
// attachments/<ID>-<name> (wrapup, slackdump's standard layout),
// __uploads/<ID>/<name> (slackdump's default layout), and files/<ID>-<name>
// (wrapup's archives before issue 14). Slack's own exports hold none.
func (e *Export) readFileContents(a *archive.Archive, folder string) error {
	var want []*archive.File
	for m := range a.All() {
		for _, f := range m.Files {
			if f.Content == nil && safeName(f.ID) {
				want = append(want, f)
			}
		}
	}
	if len(want) == 0 {
		return nil
	}
	attached, err := e.indexByIDPrefix(folder + "/" + attachmentsDir)
	if err != nil {
		return err
	}
	legacy, err := e.indexByIDPrefix(legacyFilesDir)
	if err != nil {
		return err
	}
	uploads := e.src.exists(uploadsDir)
	read := map[string][]byte{} // a file shared twice is read once
	for _, f := range want {
		if b, ok := read[f.ID]; ok {
			f.Content = b
			continue
		}
		name, ok := attached[f.ID]
		if !ok && uploads {
			if name, err = e.uploadPath(f); err != nil {
				return err
			}
			ok = name != ""
		}
		if !ok {
			name, ok = legacy[f.ID]
		}
		if !ok {
			continue
		}
		if f.Content, err = e.src.readFile(name); err != nil {
			return err
		}
		read[f.ID] = f.Content
	}
	return nil
}

// indexByIDPrefix maps file IDs to the files of dir named <ID>-<name>, as
// slackdump indexes attachments folders: the ID is what comes before the
// first '-'. A missing folder is empty.
func (e *Export) indexByIDPrefix(dir string) (map[string]string, error) {
	entries, err := e.src.readDir(dir)
	if err != nil {
		return nil, err
	}
	idx := map[string]string{}
	for _, d := range entries {
		if id, _, ok := strings.Cut(d.Name(), "-"); ok && d.Type().IsRegular() {
			idx[id] = dir + "/" + d.Name()
		}
	}
	return idx, nil
}

// uploadPath finds f in __uploads/<ID>/: at the path its name gives, as
// slackdump writes it (path.Join(ID, name), so a name holding a '/' is a
// subfolder), else the folder's only file; "" when there is none.
func (e *Export) uploadPath(f *archive.File) (string, error) {
	dir := uploadsDir + "/" + f.ID
	if named := dir + "/" + f.Name; f.Name != "" && fs.ValidPath(e.src.prefix+named) {
		if st, err := fs.Stat(e.src.fsys, e.src.prefix+named); err == nil && st.Mode().IsRegular() {
			return named, nil
		}
	}
	entries, err := e.src.readDir(dir)
	if err != nil {
		return "", err
	}
	var regular []fs.DirEntry
	for _, d := range entries {
		if d.Type().IsRegular() {
			regular = append(regular, d)
		}
	}
	if len(regular) == 1 {
		return dir + "/" + regular[0].Name(), nil
	}
	return "", nil
}
