package main

import (
	"context"

	"github.com/wrapup/wrapup/internal/config"
	"github.com/wrapup/wrapup/internal/pipeline"
	"github.com/wrapup/wrapup/internal/wire"
)

// liveRun wires what `run` and `sweep` share, once: the Slack client with
// its token from the environment, checked for the scopes the run needs
// before anything is written, the tracker, the log, the plan's writer and
// the tool's name, as the pipeline's options.
func liveRun(ctx context.Context, e env, cfg *config.Config, tracker string, dryRun bool) (pipeline.Options, error) {
	slack, err := slackClient(cfg, e)
	if err != nil {
		return pipeline.Options{}, err
	}
	if err := requireScopes(ctx, cfg, slack, e, dryRun); err != nil {
		return pipeline.Options{}, err
	}
	pub, err := wire.Publisher(cfg, e.getenv, 0)
	if err != nil {
		return pipeline.Options{}, err
	}
	return pipeline.Options{Config: cfg, DryRun: dryRun, Slack: slack, Tracker: wire.Tracker(cfg, e.getenv, tracker, 0),
		Publisher: pub, Tool: tool(), Log: e.logger(), Plan: cleanWriter{e.stderr}}, nil
}
