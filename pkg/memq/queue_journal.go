package memq

import (
	"cmp"
	"slices"
	"time"
)

// held is a copy of a message a queue holds, taken to journal it.
type held struct {
	id       uint64
	body     []byte
	metadata map[string]string
	due      time.Time
}

// unjournaled returns copies of the messages the queue holds outside the
// journal, in arrival order.
func (q *queue) unjournaled() []held {
	q.mu.Lock()
	defer q.mu.Unlock()
	var hs []held
	for _, e := range q.entries {
		if e.key == 0 {
			hs = append(hs, held{id: e.id, body: e.body, metadata: e.metadata, due: e.due})
		}
	}
	slices.SortFunc(hs, func(a, b held) int { return cmp.Compare(a.id, b.id) })
	return hs
}

// setKeys records that the messages hs, now journaled, have keys. It
// returns the keys of those acked meanwhile, for the caller to delete.
func (q *queue) setKeys(hs []held, keys []uint64) (gone []uint64) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, h := range hs {
		if e := q.byID[h.id]; e != nil {
			e.key = keys[i]
		} else {
			gone = append(gone, keys[i])
		}
	}
	return gone
}
