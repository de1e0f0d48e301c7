// Package memq is an in-process gocloud pubsub driver (gocloud.dev/pubsub/driver)
// that wakes receivers when a message becomes available instead of polling,
// redelivers unacknowledged messages after an ack deadline, supports Nack,
// and delays single messages natively. Herald's local mode runs on it.
//
// It differs from gocloud's mempubsub in three ways: an idle receiver blocks
// on a channel (mempubsub sleeps 250 ms whenever it finds its queue empty,
// which adds that much latency to every idle hop); a message can be delayed
// (see SendOptions); and a named topic's subscriptions exist from the moment
// either side is opened, so nothing published before the subscriber opens
// is dropped.
//
// # Topics and subscriptions
//
// A Broker holds named topics; each topic fans every message out to its
// subscriptions, and each subscription is one queue shared by every
// *pubsub.Subscription opened on it (competing consumers, as on SQS).
// Every topic has a default subscription of the same name, created with the
// topic, so a message sent before the default subscription is opened waits
// for it. A further named subscription is created when it is first opened and
// sees what is sent from then on.
//
// # URLs
//
// The package registers the scheme "memq" on pubsub.DefaultURLMux, served
// by one process-wide Broker:
//
//	memq://herald-ingest                          the topic, or its default subscription
//	memq://herald-ingest?ackdeadline=30s          the default subscription, 30 s ack deadline
//	memq://herald-ingest?subscription=audit       a further named subscription
//	memq://herald-ingest?journal=/var/lib/herald/queue.db
//	                                              the topic, journaled in that file
//
// Opening either side creates the topic. See URLOpener.
//
// # Delivery
//
// Delivery is at least once. A received message that is neither acked nor
// nacked within the subscription's ack deadline (default 1 m) becomes
// available again; a nacked one at once. Messages are received in the order
// they become available (publish time plus delay, or nack or deadline time),
// with no guarantee across concurrent receivers.
//
// # Delay
//
// Set a per-message delay through Message.BeforeSend and As:
//
//	m.BeforeSend = func(as func(any) bool) error {
//		var o *memq.SendOptions
//		if as(&o) {
//			o.Delay = 30 * time.Second
//		}
//		return nil
//	}
//
// Any delay is accepted (MaxDelay); the message is held in memory until then
// (and in the journal too, if the topic has one).
//
// # Durability
//
// Without a journal everything is in memory: what the process holds when it
// ends is lost. A topic may have a journal instead — a bbolt file named by
// the journal URL parameter on the topic URL, the subscription URL or both,
// or by Broker.OpenJournal — and then:
//
//   - A send returns nil only once its messages, with their metadata and
//     due time, are in the file and the file is synced (fsync): a message
//     whose Send returned nil survives the process being killed (SIGKILL)
//     and, as far as the disk keeps its promise, the machine losing power.
//     Concurrent sends share one commit. A send that returns an error may or
//     may not have been journaled.
//   - An ack deletes the message from the file, after it leaves memory and
//     without the acker waiting (the portable type sends acks in the
//     background). An ack lost to a crash, or to a failed write (logged to
//     BrokerOptions.Logger), means the message is delivered again after the
//     next start: delivery stays at least once.
//   - Nacks, ack deadlines and redeliveries are not journaled: after a
//     restart every message still in the file is available again, at once
//     if its due time has passed, else at its due time; Receipt.Deliveries
//     starts again from 1.
//   - Opening the journal (a new process, or a new Broker) loads every
//     message in it back into the topic's subscriptions, and recreates the
//     subscriptions it names: a named subscription's queue outlives the
//     process too. An entry that cannot be read back (a checksum mismatch,
//     say) is logged, moved to the file's "corrupt" bucket and skipped.
//   - The journal belongs to the topic: one URL naming it is enough, URLs
//     that name none share it, and naming another file for the same topic
//     is an error. Messages the topic held in memory before it got its
//     journal are written to it then.
//   - Several topics may share one file (a bucket per topic, holding one per
//     subscription). bbolt locks the file: a process opens it once, shared by
//     every Broker and topic that names it, and closes it when the last
//     Broker using it closes (Broker.Close); the broker behind the "memq"
//     URL scheme is never closed, so the file stays open until the process
//     exits. Another process opening the file fails after a second. The file
//     is created with mode 0600.
//   - The file may hold other data too: it is opened through pkg/boltfile,
//     which shares one handle and one group committer per path in the
//     process, so a journal may live in the file of bolt:// collections and
//     share their commits.
//
// A send to a journaled topic costs a commit, two fsyncs; an idle topic
// costs nothing. Topics without a journal pay nothing for the feature.
//
// # As
//
//   - Topic.As: **memq.Topic, or *sendopt.Limits (the longest delay accepted,
//     for publishers that do not import memq).
//   - Subscription.As: **memq.Subscription.
//   - Message.BeforeSend's as: **memq.SendOptions (the same type as
//     **sendopt.Options).
//   - Message.As: *memq.Receipt (how many times the message was delivered).
//   - ErrorAs: none.
package memq
