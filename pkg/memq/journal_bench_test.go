package memq

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"testing"

	"gocloud.dev/pubsub"
)

// BenchmarkSendParallel measures Send throughput from many goroutines on
// one topic handle, in memory and journaled (every Send waits for its
// commit; concurrent ones share it).
func BenchmarkSendParallel(b *testing.B) {
	for _, journaled := range []bool{false, true} {
		for _, parallelism := range []int{1, 16} {
			name := fmt.Sprintf("memory/senders=%d", parallelism*runtime.GOMAXPROCS(0))
			if journaled {
				name = fmt.Sprintf("journal/senders=%d", parallelism*runtime.GOMAXPROCS(0))
			}
			b.Run(name, func(b *testing.B) { benchmarkSend(b, journaled, parallelism) })
		}
	}
}

// benchmarkSend sends from parallelism × GOMAXPROCS goroutines.
func benchmarkSend(b *testing.B, journaled bool, parallelism int) {
	ctx := context.Background()
	br := NewBroker(BrokerOptions{})
	if journaled {
		if err := br.OpenJournal("bench", filepath.Join(b.TempDir(), "queue.db")); err != nil {
			b.Fatal(err)
		}
	}
	topic := br.OpenTopic("bench")
	defer func() {
		_ = topic.Shutdown(ctx)
		_ = br.Close()
	}()
	body := make([]byte, 256)
	b.SetParallelism(parallelism)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			m := &pubsub.Message{Body: body, Metadata: map[string]string{"type": "event"}}
			if err := topic.Send(ctx, m); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
