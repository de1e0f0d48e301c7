// Package schedule is the retry-scheduler: it puts deliver jobs on the deliver
// topic when they fall due.
//
// Publishing "with delay" is Enqueuer.Enqueue. Where the topic has a native
// per-message delay (SQS DelaySeconds, at most 900 s) a job due within that
// window is published at once with the delay; anything later, and anything on a
// topic without delays (mem://), becomes an entry in the schedule collection,
// the due-time table. The Scheduler publishes table entries as they fall due —
// on SQS ahead of time with the remaining delay, so long steps stay exact — and
// sweeps the deliveries collection for pending deliveries that are overdue with
// nothing in flight, so a lost message never loses a delivery.
package schedule
