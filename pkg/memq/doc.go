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
// Any delay is accepted (MaxDelay); the message is held in memory until then.
//
// # As
//
//   - Topic.As: **memq.Topic.
//   - Subscription.As: **memq.Subscription.
//   - Message.BeforeSend's as: **memq.SendOptions.
//   - Message.As: *memq.Receipt (how many times the message was delivered).
//   - ErrorAs: none.
package memq
