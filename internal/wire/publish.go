package wire

import (
	"context"
	"fmt"
	"path"
	"slices"
	"time"

	"github.com/wrapup/wrapup/internal/config"
	"github.com/wrapup/wrapup/library"
	"github.com/wrapup/wrapup/publish"
	"github.com/wrapup/wrapup/render"
	ghtracker "github.com/wrapup/wrapup/trackers/github"
)

// Publisher is the publisher of publish.github, or nil when its repo is
// unset. Its client is a read-only GitHub tracker's (no channel), so it
// shares the tracker's URL handling and rate-limit transport; githubSpacing,
// when positive, replaces GitHub's 1 s between writes (tests).
func Publisher(cfg *config.Config, getenv func(string) string, githubSpacing time.Duration) (*publish.Publisher, error) {
	p := cfg.Publish.GitHub
	if p.Repo == "" {
		return nil, nil
	}
	token := config.Secret(getenv, p.TokenEnv)
	if token == "" {
		return nil, fmt.Errorf("publish.github.repo is set but $%s is empty", p.TokenEnv)
	}
	t, err := ghtracker.New(ghtracker.Config{APIURL: p.APIURL, Repo: p.Repo, Token: token, WriteSpacing: githubSpacing})
	if err != nil {
		return nil, fmt.Errorf("publish.github: %w", err)
	}
	return publish.New(t.API(), p.Repo, p.Base, p.Dir, p.APIURL)
}

// PublishIndex is the pipeline's PublishExtra where the index is enabled
// and publish.github is set, else nil: the docs repository keeps the
// library's rows in <dir>/index.json; the incident's row (from its
// rendered folder dir, with the documents publish.github.formats
// publishes) replaces the row of the same folder in the base branch's
// (absent: none), and index.md is rendered from the rows with the
// library's templates. Both go in the publish commit. The index is built
// as of the latest declaration or resolution among the rows, not the
// clock, so that a rerun with nothing new makes the same bytes and no
// commit.
func PublishIndex(cfg *config.Config, pub *publish.Publisher) func(ctx context.Context, dir string) (map[string][]byte, error) {
	if pub == nil || !cfg.Index.Enabled {
		return nil
	}
	return func(ctx context.Context, dir string) (map[string][]byte, error) {
		rowsPath := path.Join(pub.Dir(), library.RowsFile)
		b, err := pub.ReadBase(ctx, rowsPath)
		if err != nil {
			return nil, err
		}
		rows, err := library.DecodeRows(b, cfg.Publish.GitHub.Repo+": "+rowsPath)
		if err != nil {
			return nil, fmt.Errorf("publish: %w", err)
		}
		row, err := library.ReadRow(ctx, dir)
		if err != nil {
			return nil, err
		}
		row.Markdown, row.HTML = "", ""
		formats := cfg.Publish.GitHub.Formats
		if len(formats) == 0 || slices.Contains(formats, "md") {
			row.Markdown = path.Join(row.Folder, render.MarkdownFile)
		}
		if slices.Contains(formats, "html") {
			row.HTML = path.Join(row.Folder, render.HTMLFile)
		}
		rows = library.MergeRow(rows, row)
		var asOf time.Time
		for _, r := range rows {
			for _, t := range []*time.Time{r.DeclaredAt, r.ResolvedAt} {
				if t != nil && t.After(asOf) {
					asOf = *t
				}
			}
		}
		if asOf.IsZero() {
			asOf = time.Unix(0, 0)
		}
		idx := library.FromRows(rows, library.Options{Dir: pub.Dir(), OverdueAfter: cfg.Index.OverdueAfter, Now: asOf})
		docs, err := library.Render(idx, cfg.Output.Templates)
		if err != nil {
			return nil, err
		}
		js, err := library.EncodeRows(idx.Rows())
		if err != nil {
			return nil, err
		}
		return map[string][]byte{path.Join(pub.Dir(), library.MarkdownFile): docs.Markdown, rowsPath: js}, nil
	}
}
