package store

import (
	"strconv"

	"github.com/heraldhq/herald/pkg/herald"
)

// Entry is a row of the due-time table (the schedule collection): publish
// the deliver job of attempt Attempt of delivery DeliveryID at DueMS. The
// enqueuer writes entries for attempts due later than the deliver topic's
// native delay reaches; the retry-scheduler publishes and deletes them as
// they fall due.
type Entry struct {
	ID string `docstore:"id"`
	// DueShard is herald.Shard(ID). The due-time index is partitioned by
	// it, so the entries spread over herald.Shards partitions instead of
	// sharing one; the table's other documents (the webhooks revision)
	// have none and stay out of the index.
	DueShard   int   `docstore:"due_shard,omitempty"`
	DueMS      int64 `docstore:"due_ms"`
	DeliveryID int64 `docstore:"delivery_id"`
	Attempt    int   `docstore:"attempt"`

	DocstoreRevision any
}

// EntryID names the entry of one attempt of one delivery, so that
// scheduling the same attempt twice overwrites instead of duplicating.
func EntryID(j herald.Job) string {
	return strconv.FormatInt(j.DeliveryID, 10) + "-" + strconv.Itoa(j.Attempt)
}

// NewEntry returns the entry that publishes job j at dueMS, in the shard of
// its id.
func NewEntry(j herald.Job, dueMS int64) *Entry {
	id := EntryID(j)
	return &Entry{ID: id, DueShard: herald.Shard(id), DueMS: dueMS, DeliveryID: j.DeliveryID, Attempt: j.Attempt}
}

// Job is the deliver job the entry publishes.
func (e *Entry) Job() herald.Job { return herald.Job{DeliveryID: e.DeliveryID, Attempt: e.Attempt} }
