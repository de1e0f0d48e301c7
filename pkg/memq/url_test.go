package memq

import (
	"context"
	"path/filepath"
	"testing"

	"gocloud.dev/pubsub"
)

func TestOpenFromURL(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	journal := filepath.Join(t.TempDir(), "queue.db")
	tests := []struct {
		url     string
		sub     bool
		wantErr bool
	}{
		{"memq://url-topic", false, false},
		{"memq://url-topic?param=value", false, true},
		{"memq://url-topic", true, false},
		{"memq://url-topic?ackdeadline=30s", true, false},
		{"memq://url-topic?subscription=audit&ackdeadline=1m", true, false},
		{"memq://url-topic?ackdeadline=soon", true, true},
		{"memq://url-topic?ackdeadline=-1s", true, true},
		{"memq://url-topic?param=value", true, true},
		{"memq://url-never-opened-as-topic", true, false}, // creates the topic
		{"memq://url-journaled?journal=" + journal, false, false},
		{"memq://url-journaled?journal=" + journal, true, false},
		{"memq://url-journaled?journal=" + journal + "&ackdeadline=30s", true, false},
		{"memq://url-journaled", true, false}, // shares the topic's journal
		{"memq://url-journaled?journal=" + journal + ".other", false, true},
		{"memq://url-journaled?journal=" + journal + ".other", true, true},
		{"memq://url-journal-empty?journal=", false, true},
		{"memq://url-journal-bad?journal=" + journal + "&param=value", false, true},
	}
	for _, tc := range tests {
		var err error
		if tc.sub {
			var s *pubsub.Subscription
			if s, err = pubsub.OpenSubscription(ctx, tc.url); s != nil {
				_ = s.Shutdown(ctx)
			}
		} else {
			var tp *pubsub.Topic
			if tp, err = pubsub.OpenTopic(ctx, tc.url); tp != nil {
				_ = tp.Shutdown(ctx)
			}
		}
		if (err != nil) != tc.wantErr {
			t.Errorf("open %s (subscription %v): error %v, want error %v", tc.url, tc.sub, err, tc.wantErr)
		}
	}
}
