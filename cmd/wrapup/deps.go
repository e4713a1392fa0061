package main

import (
	"context"
	"sync"
	"time"

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
		Publisher: pub, PublishExtra: wire.PublishIndex(cfg, pub), Tool: tool(), Log: e.logger(), Plan: cleanWriter{e.stderr}, Closed: indexRefresher(cfg)}, nil
}

// indexRefresher is the pipeline's Closed hook when index.enabled: it
// rebuilds the library's index in the output folder after each incident a
// run or sweep closes, without asking the tracker (--refresh-tickets
// stays explicit: it costs API calls). A sweep's channels finish side by
// side; one rebuild at a time means the last one sees every folder.
func indexRefresher(cfg *config.Config) func(context.Context, string) error {
	if !cfg.Index.Enabled {
		return nil
	}
	var mu sync.Mutex
	return func(ctx context.Context, dir string) error {
		mu.Lock()
		defer mu.Unlock()
		_, _, err := buildIndex(ctx, cfg, dir, time.Now())
		return err
	}
}
