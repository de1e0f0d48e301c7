package memq

import (
	"container/heap"
	"fmt"
	"sync"
	"time"

	"gocloud.dev/pubsub/driver"
)

// queue holds one subscription's messages until they are acked. Every
// message waits in one heap ordered by the time it is next due: its publish
// time plus its delay, then, while a receiver holds it, the end of its ack
// deadline. A message due now is available. It is safe for concurrent use.
type queue struct {
	mu      sync.Mutex
	entries entryHeap
	byID    map[uint64]*entry
	nextID  uint64
	// wake is closed, and replaced, when the earliest due time moves
	// earlier: a waiting receiver then looks again.
	wake chan struct{}
}

// entry is one message in a queue.
type entry struct {
	id         uint64
	body       []byte
	metadata   map[string]string
	due        time.Time
	deliveries int // times received
	index      int // in the heap
	// key is the message's key in the topic's journal; 0 when it is not
	// journaled.
	key uint64
}

func newQueue() *queue {
	return &queue{byID: map[uint64]*entry{}, wake: make(chan struct{})}
}

// add enqueues a message due at due.
func (q *queue) add(body []byte, metadata map[string]string, due time.Time) {
	q.addJournaled(0, body, metadata, due)
}

// addJournaled enqueues a message due at due, stored in the journal under
// key (0: not journaled).
func (q *queue) addJournaled(key uint64, body []byte, metadata map[string]string, due time.Time) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.nextID++
	e := &entry{id: q.nextID, body: body, metadata: metadata, due: due, key: key}
	q.byID[e.id] = e
	heap.Push(&q.entries, e)
	if e.index == 0 {
		q.signal()
	}
}

// take hands out up to max messages due at now, each held for ackDeadline.
// When none is due it returns the earliest due time (zero when the queue is
// empty) and a channel closed when that may change.
func (q *queue) take(now time.Time, max int, ackDeadline time.Duration) (msgs []*driver.Message, next time.Time, wake <-chan struct{}) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(msgs) < max && len(q.entries) > 0 && !q.entries[0].due.After(now) {
		e := q.entries[0]
		e.due = now.Add(ackDeadline)
		e.deliveries++
		heap.Fix(&q.entries, 0)
		msgs = append(msgs, e.message())
	}
	if len(msgs) == 0 && len(q.entries) > 0 {
		next = q.entries[0].due
	}
	return msgs, next, q.wake
}

// ackID names one delivery of a message: once the message is delivered again
// (its ack deadline passed), the earlier receiver's nack no longer touches it
// — it would hand out a message another receiver is working on. A late ack
// still counts: the work is done, and the later receiver's ack is then
// ignored.
type ackID struct {
	id       uint64
	delivery int
}

// lookup returns the entry an ack id names and whether that delivery is
// still the current one. q.mu is held.
func (q *queue) lookup(id driver.AckID) (e *entry, current bool) {
	a, ok := id.(ackID)
	if !ok {
		return nil, false
	}
	e = q.byID[a.id]
	return e, e != nil && e.deliveries == a.delivery
}

// ack removes messages and returns the journal keys of those journaled. An
// unknown id (acked already) is ignored.
func (q *queue) ack(ids []driver.AckID) (keys []uint64) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, id := range ids {
		if e, _ := q.lookup(id); e != nil {
			heap.Remove(&q.entries, e.index)
			delete(q.byID, e.id)
			if e.key != 0 {
				keys = append(keys, e.key)
			}
		}
	}
	return keys
}

// nack makes messages a receiver holds available at now. An unknown id, or
// one of an earlier delivery, is ignored.
func (q *queue) nack(now time.Time, ids []driver.AckID) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, id := range ids {
		e, current := q.lookup(id)
		if !current || !e.due.After(now) {
			continue
		}
		e.due = now
		heap.Fix(&q.entries, e.index)
		if e.index == 0 {
			q.signal()
		}
	}
}

// len returns how many messages the queue holds: waiting, due or held by a
// receiver.
func (q *queue) len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.entries)
}

// signal wakes every waiting receiver. q.mu is held.
func (q *queue) signal() {
	close(q.wake)
	q.wake = make(chan struct{})
}

// message returns the driver message a receiver gets for e.
func (e *entry) message() *driver.Message {
	receipt := Receipt{Deliveries: e.deliveries}
	return &driver.Message{
		LoggableID: fmt.Sprintf("msg #%d", e.id),
		Body:       e.body,
		Metadata:   e.metadata,
		AckID:      ackID{id: e.id, delivery: e.deliveries},
		AsFunc: func(i any) bool {
			p, ok := i.(*Receipt)
			if ok {
				*p = receipt
			}
			return ok
		},
	}
}

// entryHeap orders entries by due time, then by arrival.
type entryHeap []*entry

func (h entryHeap) Len() int { return len(h) }
func (h entryHeap) Less(i, j int) bool {
	if !h[i].due.Equal(h[j].due) {
		return h[i].due.Before(h[j].due)
	}
	return h[i].id < h[j].id
}
func (h entryHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}
func (h *entryHeap) Push(x any) {
	e := x.(*entry)
	e.index = len(*h)
	*h = append(*h, e)
}
func (h *entryHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	e.index = -1
	return e
}
