package herald

import (
	"encoding/json"
	"errors"
)

// Job is the message on the deliver topic: a wake-up call to make attempt
// Attempt of delivery DeliveryID. The delivery document stays the source of
// truth; a duplicated or stale job is recognised and dropped there.
type Job struct {
	DeliveryID int64 `json:"delivery_id"`
	Attempt    int   `json:"attempt"`
}

// Encode returns the job's message body.
func (j Job) Encode() []byte {
	b, _ := json.Marshal(j) // two integers cannot fail to marshal
	return b
}

// DecodeJob decodes a deliver-topic message body; a body that is not a job is
// a *MalformedError.
func DecodeJob(body []byte) (Job, error) {
	var j Job
	if err := json.Unmarshal(body, &j); err != nil {
		return Job{}, Malformed("deliver job is not JSON", err)
	}
	if j.DeliveryID <= 0 || j.Attempt <= 0 {
		return Job{}, Malformed("deliver job needs a positive delivery_id and attempt", errors.New("invalid job"))
	}
	return j, nil
}
