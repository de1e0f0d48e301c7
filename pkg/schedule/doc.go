// Package schedule is the retry-scheduler: it puts deliver jobs on the deliver
// topic when they fall due.
//
// Jobs due later than the deliver topic's native delay reaches are entries
// of the schedule collection, the due-time table, written by the enqueuer
// (pkg/enqueue). The Scheduler publishes table entries as they fall due — on
// a topic with a native delay (given as Config.Delayer) ahead of time with
// the remaining delay, so long steps stay exact — and sweeps the deliveries
// collection for pending deliveries that are overdue with nothing in flight,
// so a lost message never loses a delivery.
//
// The table also holds the webhooks' recoveries (store.Recovery, written by
// the admin API's POST …/recover), in the same due-time index: when one
// falls due the Scheduler makes its next pass (recovery.go), re-arming the
// next failed deliveries of its window that the webhook's max_in_flight
// leaves room for, and sets when the pass after it is due.
package schedule
