// Package enqueue puts deliver jobs on the deliver topic, now or later:
// every function that makes a delivery due (ingest, deliver, admin, the
// expiry-notifier) enqueues its next attempt through an Enqueuer.
//
// Where the topic has a native per-message delay (SQS DelaySeconds, at most
// 900 s; memq) a job due within that window is published at once with the
// delay; anything later, and anything on a topic without delays (mem://),
// becomes an entry in the schedule collection, the due-time table, which the
// retry-scheduler publishes as it falls due.
//
// The delay is the runtime's to know, not this package's: whoever opened the
// topic passes its Delayer in, so that enqueueing links no driver.
package enqueue
