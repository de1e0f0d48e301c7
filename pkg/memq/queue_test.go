package memq

import (
	"testing"
	"time"

	"gocloud.dev/pubsub/driver"
)

func ackIDs(ms []*driver.Message) []driver.AckID {
	var ids []driver.AckID
	for _, m := range ms {
		ids = append(ids, m.AckID)
	}
	return ids
}

func bodies(ms []*driver.Message) string {
	var s string
	for _, m := range ms {
		s += string(m.Body)
	}
	return s
}

func TestQueueAckDeadline(t *testing.T) {
	q := newQueue()
	now := time.Unix(1000, 0)
	for _, b := range []string{"a", "b", "c"} {
		q.add([]byte(b), nil, now)
	}
	got, _, _ := q.take(now, 2, time.Minute)
	if bodies(got) != "ab" {
		t.Fatalf("first take = %q, want ab (publish order)", bodies(got))
	}
	got2, _, _ := q.take(now, 10, time.Minute)
	if bodies(got2) != "c" {
		t.Fatalf("second take = %q, want c", bodies(got2))
	}
	none, next, _ := q.take(now, 10, time.Minute)
	if len(none) != 0 || !next.Equal(now.Add(time.Minute)) {
		t.Fatalf("take while all held = %q, next %v; want none, next at the deadline", bodies(none), next)
	}
	q.ack(ackIDs(got2))
	q.ack(ackIDs(got2)) // a double ack is ignored
	again, _, _ := q.take(now.Add(time.Minute), 10, time.Minute)
	if bodies(again) != "ab" {
		t.Fatalf("take after the deadline = %q, want ab redelivered", bodies(again))
	}
	var r Receipt
	if !again[0].AsFunc(&r) || r.Deliveries != 2 {
		t.Errorf("Receipt after redelivery = %+v, want Deliveries 2", r)
	}
	q.ack(ackIDs(got)) // an ack of the first delivery still counts
	if n := q.len(); n != 0 {
		t.Errorf("len after acks = %d, want 0", n)
	}
}

func TestQueueNack(t *testing.T) {
	q := newQueue()
	now := time.Unix(1000, 0)
	q.add([]byte("a"), nil, now)
	got, _, wake := q.take(now, 1, time.Minute)
	q.nack(now.Add(time.Second), ackIDs(got))
	select {
	case <-wake:
	default:
		t.Error("nack did not wake waiting receivers")
	}
	again, _, _ := q.take(now.Add(time.Second), 1, time.Minute)
	if bodies(again) != "a" {
		t.Fatalf("take after nack = %q, want a at once", bodies(again))
	}
}

func TestQueueDelay(t *testing.T) {
	q := newQueue()
	now := time.Unix(1000, 0)
	q.add([]byte("late"), nil, now.Add(time.Hour))
	_, next, wake := q.take(now, 10, time.Minute)
	if !next.Equal(now.Add(time.Hour)) {
		t.Fatalf("next = %v, want the delayed message's due time", next)
	}
	q.add([]byte("sooner"), nil, now.Add(time.Minute))
	select {
	case <-wake:
	default:
		t.Error("an earlier due time did not wake waiting receivers")
	}
	_, _, wake = q.take(now, 10, time.Minute)
	q.add([]byte("latest"), nil, now.Add(2*time.Hour))
	select {
	case <-wake:
		t.Error("a later due time woke waiting receivers")
	default:
	}
	got, _, _ := q.take(now.Add(time.Hour), 10, time.Minute)
	if bodies(got) != "soonerlate" {
		t.Fatalf("take at +1h = %q, want soonerlate", bodies(got))
	}
}

// A receiver that ran past its ack deadline must not, by nacking, hand out a
// message that was delivered again to another receiver meanwhile.
func TestQueueStaleNackIgnored(t *testing.T) {
	t.Parallel()
	q := newQueue()
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	q.add([]byte("a"), nil, now)
	first, _, _ := q.take(now, 1, time.Minute)
	later := now.Add(time.Minute)
	second, _, _ := q.take(later, 1, time.Minute) // redelivered after the deadline
	if bodies(second) != "a" {
		t.Fatalf("redelivery = %q", bodies(second))
	}
	q.nack(later, ackIDs(first)) // the first receiver gives up, late
	if third, _, _ := q.take(later, 1, time.Minute); len(third) != 0 {
		t.Fatalf("a stale nack handed out %q while the second receiver holds it", bodies(third))
	}
	q.nack(later, ackIDs(second)) // the current receiver's nack counts
	if again, _, _ := q.take(later, 1, time.Minute); bodies(again) != "a" {
		t.Fatalf("after the current nack: %q", bodies(again))
	}
}

// A message added to an empty queue wakes the receivers waiting on it.
func TestQueueAddWakesWaiting(t *testing.T) {
	t.Parallel()
	q := newQueue()
	now := time.Unix(1000, 0)
	none, next, wake := q.take(now, 10, time.Minute)
	if len(none) != 0 || !next.IsZero() {
		t.Fatalf("empty queue: %d messages, next %v", len(none), next)
	}
	q.add([]byte("x"), nil, now)
	select {
	case <-wake:
	default:
		t.Fatal("a send to an empty queue did not wake waiting receivers")
	}
}
