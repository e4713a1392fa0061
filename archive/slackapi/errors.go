package slackapi

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// APIError is a Web API call that failed for good: Slack's error code, or
// the last transient failure once the retries ran out.
type APIError struct {
	Method string // e.g. "conversations.history"
	Code   string // Slack's error code ("not_in_channel"), or "" for a transport or HTTP failure
	Err    error
}

func (e *APIError) Error() string {
	switch {
	case e.Err == nil:
		return e.Method + ": " + e.Code
	case e.Code == "" || strings.Contains(e.Err.Error(), e.Code):
		return fmt.Sprintf("%s: %v", e.Method, e.Err)
	}
	return fmt.Sprintf("%s: %s: %v", e.Method, e.Code, e.Err)
}

func (e *APIError) Unwrap() error { return e.Err }

// Code returns the Slack error code of err, or "".
func Code(err error) string {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.Code
	}
	return ""
}

// ErrAuth is wrapped by errors that mean the token cannot be used at all:
// revoked, invalid, or missing. Retrying will not help; a new token will.
var ErrAuth = errors.New("the Slack token was refused")

// authCodes are the error codes that mean the token itself is refused.
var authCodes = map[string]bool{"not_authed": true, "invalid_auth": true, "token_revoked": true,
	"token_expired": true, "account_inactive": true, "no_permission": false}

// transientCodes are Slack error codes worth another try.
var transientCodes = map[string]bool{"internal_error": true, "fatal_error": true, "service_unavailable": true,
	"request_timeout": true, "ratelimited": true}

// ErrArchived is wrapped by errors that mean the channel is archived and
// the app is not in it: Slack removes apps from a channel when it is
// archived, so it can be neither read nor joined until someone unarchives
// it.
var ErrArchived = errors.New("the channel is archived")

// ErrRateLimitBudget is wrapped by a call that spent its
// Options.RateLimitBudget waiting out 429s.
var ErrRateLimitBudget = errors.New("rate-limit budget spent")

// BudgetError is a call that Slack kept refusing with 429s until its time
// budget ran out.
type BudgetError struct {
	Limited    int           // 429s received
	Waited     time.Duration // time held back so far
	RetryAfter time.Duration // the last 429's Retry-After, which would pass the budget
	Budget     time.Duration // Options.RateLimitBudget
}

func (e *BudgetError) Error() string {
	return fmt.Sprintf("rate limited %d times: waited %s in all for Retry-After, and the next wait of %s would pass "+
		"the %s budget (slackapi.Options.RateLimitBudget); Slack refused calls faster than they could be waited out",
		e.Limited, e.Waited.Round(time.Second), e.RetryAfter, e.Budget)
}

func (e *BudgetError) Unwrap() error { return ErrRateLimitBudget }
