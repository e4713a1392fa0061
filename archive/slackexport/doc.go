// Package slackexport reads and writes the Slack workspace export format.
//
// [Open] takes a zip or a folder as Slack produces it — channels.json,
// groups.json, mpims.json and dms.json, users.json or org_users.json, and a
// folder of YYYY-MM-DD.json day files per conversation — and [Export.Read]
// turns one conversation into an [archive.Archive], decoding only that
// conversation's day files. It copes with what real exports contain: numbers
// written as strings in old exports, thread replies with or without a
// replies array on their parent, replies filed on a later day than their
// parent, thread broadcasts, tombstones, both bot message styles, and file
// URLs carrying export tokens, which are removed on reading.
//
// [Write] writes an archive back in the same format, with a manifest of
// counts and checksums that [Verify] checks, in the layout that slackdump
// and slack-export-viewer read whole: files at
// <channel>/attachments/<FILE_ID>-<name> ([AttachmentPath]), thread parents
// listing their replies as replies: [{user, ts}], and channels.json listing
// the channel's members. Read(Write(a)) equals a with those added, and
// writing it again gives the same bytes.
//
// # Where files are found
//
// Readers look for a file's bytes by its ID in the channel's
// attachments/<ID>-<name> (wrapup, and slackdump's "standard" layout),
// then in __uploads/<ID>/<name> (slackdump's default), then in
// files/<ID>-<name> (wrapup's archives before issue 14). Slack's own
// exports carry no bytes, only URLs.
//
// Untrusted input is bounded: zips with parent references, absolute paths or
// symlinks are refused, folders are read through [os.Root], and reads stop
// at [Options.MaxBytes] uncompressed bytes. The budget is charged with
// each file's declared size before it is read (all of a channel's day
// files at once) and by counting while reading, so a size that lies gains
// nothing. Day files are decoded as they are read, message by message, a
// few at a time: whitespace between messages is never held, and one
// message is bounded by [MaxMessageBytes], so that memory follows the
// messages an export holds rather than its size in bytes.
//
// # Reading a channel without holding it
//
// [Export.Scan] reads an export's channel one day file at a time and
// hands each message to a callback in ts order, keeping an index of where
// each message is (issue 17) in a temporary file, not in memory; its
// [Scanned] reads threads again by byte offset as they are needed, and
// gives what Read's archive would hold. The caller must Close the Scanned
// to remove the file. Peak memory follows the largest day file and the
// number of replies (some 16 bytes each), not the channel; a zip's day
// files are decompressed again, a few at a time, to be read by offset. A
// channel whose day files are not in ts order ([ErrUnordered]) is read
// whole with Read instead.
package slackexport
