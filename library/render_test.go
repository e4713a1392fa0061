package library_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/wrapup/wrapup/library"
)

func TestRenderSmoke(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, generate(12, 4, genStart, 3))
	idx, err := library.Build(context.Background(), library.Options{Dir: dir, Now: genNow, OverdueAfter: 720 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	docs, err := library.Render(idx, "")
	if err != nil {
		t.Fatal(err)
	}
	if p := os.Getenv("LIBRARY_DUMP"); p != "" {
		os.WriteFile(p+".md", docs.Markdown, 0o600)
		os.WriteFile(p+".html", docs.HTML, 0o600)
	}
}
