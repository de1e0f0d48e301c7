package schedule

import (
	"strconv"

	"gocloud.dev/docstore"

	"github.com/heraldhq/herald/pkg/herald"
)

// entry is a row of the due-time table: publish Job at DueMS.
type entry struct {
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

// entryFields are the fields the due-time index holds (the template's
// by_due projection): what publishing an entry, and deleting it with its
// revision, reads.
var entryFields = []docstore.FieldPath{"id", "due_ms", "delivery_id", "attempt", docstore.DefaultRevisionField}

// entryID names the entry for one attempt of one delivery, so scheduling the
// same attempt twice overwrites instead of duplicating.
func entryID(j herald.Job) string {
	return strconv.FormatInt(j.DeliveryID, 10) + "-" + strconv.Itoa(j.Attempt)
}

func newEntry(j herald.Job, dueMS int64) *entry {
	id := entryID(j)
	return &entry{ID: id, DueShard: herald.Shard(id), DueMS: dueMS, DeliveryID: j.DeliveryID, Attempt: j.Attempt}
}

func (e *entry) job() herald.Job { return herald.Job{DeliveryID: e.DeliveryID, Attempt: e.Attempt} }
