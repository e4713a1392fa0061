package slackapi_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/slackapi"
	"github.com/wrapup/wrapup/archive/slacktest"
)

// TestExportFromFirstPage: an export given the newest history page a
// sweep's look-back read, and the conversations.info the run read, asks
// for neither again, and exports the same channel, paging on from the
// page's cursor.
func TestExportFromFirstPage(t *testing.T) {
	a := flatChannel(t, "C0FIRST01", 30)
	a.Channel.Members = []string{"U0EMUBOT"}
	e := start(t, slacktest.Options{}, a)
	export(t, e.c, "C0FIRST01", slackapi.ExportOptions{}) // the users are fetched once a client
	start, _ := e.calls()
	_, plain := export(t, e.c, "C0FIRST01", slackapi.ExportOptions{})
	end, _ := e.calls()
	before := end - start

	ctx := t.Context()
	info, err := e.c.Info(ctx, "C0FIRST01")
	if err != nil {
		t.Fatal(err)
	}
	// A page of 10 of the 30: the export pages on from its cursor.
	_, first, err := e.c.LookBack(ctx, "C0FIRST01", 10, false, func([]*archive.Message) bool { return true })
	if err != nil || first == nil || len(first.Messages) != 10 || first.Next == "" {
		t.Fatalf("look-back page %+v, err %v", first, err)
	}
	_, reused := export(t, e.c, "C0FIRST01", slackapi.ExportOptions{Info: &info, FirstPage: first})
	if diff := cmp.Diff(texts(plain), texts(reused)); diff != "" {
		t.Errorf("messages differ (-plain +reused):\n%s", diff)
	}

	// The whole history in the page: the export saves the info call and
	// its one history call.
	_, whole, err := e.c.LookBack(ctx, "C0FIRST01", 999, false, func([]*archive.Message) bool { return true })
	if err != nil || whole.Next != "" {
		t.Fatalf("look-back %+v, err %v", whole, err)
	}
	mid, _ := e.calls()
	_, again := export(t, e.c, "C0FIRST01", slackapi.ExportOptions{Info: &info, FirstPage: whole})
	after, _ := e.calls()
	if after-mid != before-2 {
		t.Errorf("the export from the whole first page made %d calls; the plain one made %d: want 2 fewer (info, history)", after-mid, before)
	}
	if diff := cmp.Diff(texts(plain), texts(again)); diff != "" {
		t.Errorf("messages differ (-plain +again):\n%s", diff)
	}
}

func texts(a *archive.Archive) []string {
	var out []string
	for m := range a.All() {
		out = append(out, m.TS.String()+" "+m.Text)
	}
	return out
}
