package schedule

import (
	"strconv"

	"github.com/heraldhq/herald/pkg/herald"
)

// deliverQueue is the partition value of every entry for the deliver topic;
// queries for due entries ask for it with an equality, as DynamoDB needs.
const deliverQueue = "deliver"

// entry is a row of the due-time table: publish Job at DueMS.
type entry struct {
	ID         string `docstore:"id"`
	Queue      string `docstore:"queue"`
	DueMS      int64  `docstore:"due_ms"`
	DeliveryID int64  `docstore:"delivery_id"`
	Attempt    int    `docstore:"attempt"`

	DocstoreRevision any
}

// entryID names the entry for one attempt of one delivery, so scheduling the
// same attempt twice overwrites instead of duplicating.
func entryID(j herald.Job) string {
	return strconv.FormatInt(j.DeliveryID, 10) + "-" + strconv.Itoa(j.Attempt)
}

func (e *entry) job() herald.Job { return herald.Job{DeliveryID: e.DeliveryID, Attempt: e.Attempt} }
