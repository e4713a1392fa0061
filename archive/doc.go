// Package archive is wrapup's model of one Slack channel: its metadata, its
// messages grouped into threads, the users and files they reference.
//
// Every source produces an [Archive] (archive/slackexport from a workspace
// export, archive/slackapi from the live Web API) and every consumer
// (timeline, render, trackers) reads only this model. The package imports
// only the standard library.
//
// # Fidelity
//
// A [Message] keeps the JSON its source sent in Raw, and that is what gets
// written back: the archive is a record, and a record that drops fields Slack
// sent is not one. The typed fields are a read-only view of Raw.
//
// Slack's ts is a message's identity, so [TS] holds it as integer
// microseconds: it orders and converts to time exactly, with no float rounding.
package archive
