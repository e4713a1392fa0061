//go:build !race

package slackapi_test

const raceEnabled = false
