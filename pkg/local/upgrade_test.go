package local_test

import (
	"context"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"gocloud.dev/pubsub"

	"github.com/heraldhq/herald/pkg/config"
	"github.com/heraldhq/herald/pkg/contract"
	"github.com/heraldhq/herald/pkg/memq"
)

// TestStartMovesTheLegacyJournal starts local mode on a data dir where an
// earlier version left an accepted event in its own journal file
// (queue.db): the event is delivered, and the file is gone, its messages
// now in the store's file with the collections.
func TestStartMovesTheLegacyJournal(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	r := contract.NewReceiver(t, "X-Herald-")
	first, err := startLocal(t, localConfig(t, dir, "memq", false))
	if err != nil {
		t.Fatal(err)
	}
	contract.NewAPI(t, first.BaseURL, first.Token).CreateWebhook(r, map[string]any{"events": []string{"order.*"}})
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}

	// The next process's ingest topic, journaled as earlier versions did.
	cfg := localConfig(t, dir, "memq", false)
	u, err := url.Parse(cfg.IngestTopic)
	if err != nil {
		t.Fatal(err)
	}
	legacy := filepath.Join(dir, config.LegacyJournalFile)
	old := memq.NewBroker(memq.BrokerOptions{})
	if err := old.OpenJournal(u.Host, legacy); err != nil {
		t.Fatal(err)
	}
	topic := old.OpenTopic(u.Host)
	body := []byte(`{"event_type":"order.created","event_id":"evt_before_upgrade","data":{"n":1}}`)
	if err := topic.Send(context.Background(), &pubsub.Message{Body: body}); err != nil {
		t.Fatal(err)
	}
	if err := errors.Join(topic.Shutdown(context.Background()), old.Close()); err != nil {
		t.Fatal(err)
	}

	if _, err := startLocal(t, cfg); err != nil {
		t.Fatal(err)
	}
	got := r.WaitFor(1, 10*time.Second)
	if id := got[0].Header.Get("webhook-id"); id != "evt_before_upgrade" {
		t.Errorf("delivered %q, want the event accepted before the upgrade", id)
	}
	if _, err := os.Stat(legacy); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the legacy journal is still there: %v", err)
	}
}
