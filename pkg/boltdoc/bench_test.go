package boltdoc

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"
	"sync/atomic"
	"testing"

	"gocloud.dev/docstore"

	"github.com/heraldhq/herald/pkg/herald"
)

// benchDeliveries opens a deliveries collection with Herald's indexes and n
// deliveries spread over 50 webhooks.
func benchDeliveries(b *testing.B, n int) *docstore.Collection {
	b.Helper()
	coll, err := OpenCollectionFile(filepath.Join(b.TempDir(), "bench.db"), "deliveries", "id", &Options{Indexes: deliveryIndexes})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = coll.Close() })
	ctx := context.Background()
	for start := 1; start <= n; start += 1000 {
		acts := coll.Actions()
		for i := start; i < start+1000 && i <= n; i++ {
			d := makeDelivery(int64(i))
			d.WebhookID = fmt.Sprintf("wh%d", i%50)
			acts.Put(d)
		}
		if err := acts.Do(ctx); err != nil {
			b.Fatal(err)
		}
	}
	return coll
}

// BenchmarkCreate creates deliveries (five indexes each), one per action
// list, each durable before it returns: serially, then from 16 goroutines
// per CPU, whose commits are grouped.
func BenchmarkCreate(b *testing.B) {
	for _, par := range []int{0, 16} {
		name := "serial"
		if par > 0 {
			name = fmt.Sprintf("parallel%d", par)
		}
		b.Run(name, func(b *testing.B) {
			coll := benchDeliveries(b, 0)
			ctx := context.Background()
			var next atomic.Int64
			create := func() {
				if err := coll.Create(ctx, makeDelivery(next.Add(1))); err != nil {
					b.Error(err)
				}
			}
			b.ReportAllocs()
			if par == 0 {
				for b.Loop() {
					create()
				}
				return
			}
			b.SetParallelism(par)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					create()
				}
			})
		})
	}
}

// BenchmarkGet reads random deliveries by key from 10,000.
func BenchmarkGet(b *testing.B) {
	const n = 10_000
	coll := benchDeliveries(b, n)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			d := &herald.Delivery{ID: 1 + rand.Int64N(n)}
			if err := coll.Get(ctx, d); err != nil {
				b.Error(err)
			}
		}
	})
}

// BenchmarkQueryIndexed runs the admin API's first page of a webhook's
// deliveries (webhook_id =, id > 0, newest first, 20 of 200) from 10,000.
func BenchmarkQueryIndexed(b *testing.B) {
	coll := benchDeliveries(b, 10_000)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		it := coll.Query().Where("webhook_id", "=", fmt.Sprintf("wh%d", rand.IntN(50))).
			Where("id", ">", int64(0)).OrderBy("id", docstore.Descending).Limit(20).Get(ctx)
		n := 0
		for {
			var d herald.Delivery
			err := it.Next(ctx, &d)
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		it.Stop()
		if n != 20 {
			b.Fatalf("%d results, want 20", n)
		}
	}
}
