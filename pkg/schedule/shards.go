package schedule

import (
	"context"
	"io"

	"gocloud.dev/docstore"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/store"
)

// shardMerge reads the due-time index's shards together, each in due
// order, and yields their entries merged in due order: a k-way merge that
// holds one entry per shard.
type shardMerge struct {
	iters []*docstore.DocumentIterator
	heads []*store.Entry // heads[i] is iters[i]'s next entry; nil when it is done
}

// openShards opens query(shard) for every shard and reads the first entry of
// each.
func openShards(ctx context.Context, query func(shard int) *docstore.DocumentIterator) (*shardMerge, error) {
	m := &shardMerge{}
	for shard := 1; shard <= herald.Shards; shard++ {
		m.iters = append(m.iters, query(shard))
		m.heads = append(m.heads, nil)
		if err := m.advance(ctx, len(m.iters)-1); err != nil {
			m.stop()
			return nil, err
		}
	}
	return m, nil
}

// advance reads shard i's next entry into heads[i].
func (m *shardMerge) advance(ctx context.Context, i int) error {
	ent := new(store.Entry)
	switch err := m.iters[i].Next(ctx, ent); {
	case err == io.EOF:
		m.heads[i] = nil
	case err != nil:
		return err
	default:
		m.heads[i] = ent
	}
	return nil
}

// next returns the earliest entry of every shard's next, nil when all are
// done.
func (m *shardMerge) next(ctx context.Context) (*store.Entry, error) {
	first := -1
	for i, h := range m.heads {
		if h != nil && (first < 0 || h.DueMS < m.heads[first].DueMS) {
			first = i
		}
	}
	if first < 0 {
		return nil, nil
	}
	ent := m.heads[first]
	return ent, m.advance(ctx, first)
}

func (m *shardMerge) stop() {
	for _, it := range m.iters {
		it.Stop()
	}
}
