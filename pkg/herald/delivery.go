package herald

// Delivery is one event on its way to one webhook, with every attempt made.
// It is stored in the deliveries collection under ID.
type Delivery struct {
	// DocstoreRevision comes first: memdocstore looks it up on every write
	// with a linear search that allocates a copy of each field it passes.
	DocstoreRevision any

	ID        int64  `docstore:"id"`
	WebhookID string `docstore:"webhook_id"`
	// EventID is the event_id as published: what receivers see as
	// webhook-id and admins read.
	EventID string `docstore:"event_id"`
	// EventKey is the event's key in the events collection (see EventKey
	// and EventStoreKey).
	EventKey  string `docstore:"event_key,omitempty"`
	EventType string `docstore:"event_type"`
	TenantID  string `docstore:"tenant_id"`
	Status    Status `docstore:"status"`

	// URL is the webhook's URL when the delivery was created: where its
	// attempts are sent. Match is what in the webhook's subscription
	// matched the event. Both are absent on deliveries created before
	// Herald recorded them.
	URL   string `docstore:"url,omitempty"`
	Match *Match `docstore:"match,omitempty"`

	// AttemptCount is the number of attempts claimed so far. The deliver
	// function claims attempt AttemptCount+1 with an optimistic-concurrency
	// write before sending it; in local mode ingest writes a new delivery
	// with its first attempt claimed (store.Preclaims).
	AttemptCount int       `docstore:"attempt_count"`
	Attempts     []Attempt `docstore:"attempts"`

	// NextAttemptMS is when the next attempt is due (pending deliveries).
	NextAttemptMS int64 `docstore:"next_attempt_ms"`
	// LeaseUntilMS is when a claimed attempt counts as lost if no result has
	// been recorded; until then the scheduler's sweep leaves it alone.
	LeaseUntilMS int64 `docstore:"lease_until_ms"`
	// DroppedMS is when the delivery was given up and the dropped event sent.
	DroppedMS int64 `docstore:"dropped_ms"`
	// ManualAttempt is the number of the attempt an admin asked for. It is
	// one shot: when it fails the delivery is failed again, with no further
	// retries and no second dropped event.
	ManualAttempt int `docstore:"manual_attempt"`
	// PauseEpoch is, while the delivery is held, the pause of its webhook
	// (herald.Webhook.PauseEpoch) whose queue it has a slot of.
	PauseEpoch int64 `docstore:"pause_epoch,omitempty"`

	CreatedMS int64 `docstore:"created_ms"`
	UpdatedMS int64 `docstore:"updated_ms"`

	// Indexed fields, set by Derive (see index.go): LogShard is
	// LogShardOf(ID) (the call log's index, by ID), DueShard is
	// ShardOf(ID) while pending (the sweep's index, by NextAttemptMS),
	// HeldShard is Shard(WebhookID) while paused (held deliveries, by
	// CreatedMS), and ExpiresAt is when a finished delivery may be deleted,
	// in Unix seconds (DynamoDB's TTL attribute). Each is absent while 0.
	LogShard  int   `docstore:"log_shard,omitempty"`
	DueShard  int   `docstore:"due_shard,omitempty"`
	HeldShard int   `docstore:"held_shard,omitempty"`
	ExpiresAt int64 `docstore:"expires_at,omitempty"`
}

// Match is what in a webhook's subscription matched an event: the category
// that selected it, or else the event-type pattern that did (neither when the
// webhook subscribes to every event), and the filters it passed.
type Match struct {
	Pattern  string   `json:"pattern,omitempty" docstore:"pattern,omitempty"`
	Category string   `json:"category,omitempty" docstore:"category,omitempty"`
	Filters  []Filter `json:"filters,omitempty" docstore:"filters,omitempty"`
}

// Status is where a delivery stands in its lifecycle. Only package store
// moves a delivery from one status to another.
type Status string

// Delivery statuses.
const (
	// StatusPending: an attempt is due or in flight.
	StatusPending Status = "pending"
	// StatusSucceeded: an attempt got a 2xx answer. Final.
	StatusSucceeded Status = "succeeded"
	// StatusFailed: given up, or not sendable; final until an admin
	// retries it.
	StatusFailed Status = "failed"
	// StatusPaused: held while its webhook is paused.
	StatusPaused Status = "paused"
)

// Statuses lists every delivery status.
var Statuses = []Status{StatusPending, StatusSucceeded, StatusFailed, StatusPaused}

// Finished reports whether s is final until an admin retries it: succeeded
// or failed.
func (s Status) Finished() bool { return s == StatusSucceeded || s == StatusFailed }

// Attempt records one HTTP attempt of a delivery.
type Attempt struct {
	Attempt int   `json:"attempt" docstore:"attempt"`
	AtMS    int64 `json:"-" docstore:"at_ms"`
	// URL is where the attempt was sent: the webhook's URL then (it may
	// have changed since the delivery was created). Absent on attempts
	// made before Herald recorded it.
	URL          string `json:"url,omitempty" docstore:"url,omitempty"`
	StatusCode   int    `json:"status_code" docstore:"status_code"`
	DurationMS   int64  `json:"duration_ms" docstore:"duration_ms"`
	Error        string `json:"error" docstore:"error"`
	ResponseBody string `json:"response_body" docstore:"response_body"`
	// RetryAfterMS is the time a 429 or 503 answer's Retry-After header
	// asked for, 0 when there was none. The retry policy decides what it
	// means (see deliver's record).
	RetryAfterMS int64 `json:"-" docstore:"retry_after_ms"`
	// PrivateTarget says the answer came from a non-public address (one
	// reachable only because the deployment allows private targets or
	// allow-lists it): the admin API shows its body to unbound callers
	// only.
	PrivateTarget bool `json:"-" docstore:"private_target"`
}

// Succeeded reports whether the attempt got a 2xx answer.
func (a Attempt) Succeeded() bool { return a.StatusCode >= 200 && a.StatusCode < 300 }
