package memq

import (
	"log/slog"
	"sync"
	"time"

	"gocloud.dev/pubsub"
)

// BrokerOptions configure a Broker.
type BrokerOptions struct {
	// Now returns the current time; delays and ack deadlines are measured
	// with it. Defaults to time.Now. A waiting receiver sleeps on a real
	// timer, so with a fake clock it notices a jump at its next look,
	// within a second.
	Now func() time.Time
	// Logger reports what memq cannot return to a caller: a journal entry
	// it could not read back (see OpenJournal), an ack it could not write
	// to a journal. Defaults to slog.Default().
	Logger *slog.Logger
}

// Broker holds named topics and their subscriptions in memory. It is safe
// for concurrent use. The URL opener registered for "memq" uses one Broker
// for the whole process; tests may make their own.
type Broker struct {
	now func() time.Time
	log *slog.Logger

	mu     sync.Mutex
	topics map[string]*Topic

	// journalMu serializes OpenJournal and Close.
	journalMu sync.Mutex
	closed    bool
}

// NewBroker returns an empty Broker.
func NewBroker(opts BrokerOptions) *Broker {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	return &Broker{now: opts.Now, log: opts.Logger, topics: map[string]*Topic{}}
}

// Topic returns the topic name, creating it, with its default subscription
// (also called name), if it does not exist yet.
func (b *Broker) Topic(name string) *Topic {
	b.mu.Lock()
	defer b.mu.Unlock()
	t := b.topics[name]
	if t == nil {
		t = &Topic{name: name, now: b.now, log: b.log, subs: map[string]*Subscription{}}
		t.subscription(name)
		b.topics[name] = t
	}
	return t
}

// OpenTopic returns a *pubsub.Topic sending to the topic name, creating the
// topic if need be. Shut it down when done; other handles on the same topic
// are not affected.
func (b *Broker) OpenTopic(name string) *pubsub.Topic {
	return newPubsubTopic(b.Topic(name))
}

// SubscriptionOptions configure a *pubsub.Subscription opened on a Broker.
type SubscriptionOptions struct {
	// Name is the subscription's name. Defaults to the topic's name: the
	// default subscription, which holds every message sent since the topic
	// was created. Another name is created at its first open and holds what
	// is sent from then on.
	Name string
	// AckDeadline is how long a received message may stay unacked before it
	// is delivered again. Defaults to DefaultAckDeadline.
	AckDeadline time.Duration
}

// OpenSubscription returns a *pubsub.Subscription receiving from a
// subscription of the topic named topic, creating both if need be.
func (b *Broker) OpenSubscription(topic string, opts SubscriptionOptions) *pubsub.Subscription {
	if opts.Name == "" {
		opts.Name = topic
	}
	s := b.Topic(topic).subscription(opts.Name)
	return newPubsubSubscription(s, b.now, opts.AckDeadline)
}
