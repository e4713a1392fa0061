// Package pipeline runs wrapup's steps for one channel, in DESIGN's order:
// export (verified), timeline, the wrap-up ledger message, filing the action
// items through the three ledgers, render, the final update of the wrap-up
// message, and archiving the channel — last, and only when every step before
// it succeeded.
//
// wrapup.json records each finished step, so that a run killed anywhere can
// be run again and finishes the job with no duplicate ticket and no
// duplicate message.
package pipeline
