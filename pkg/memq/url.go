package memq

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path"
	"time"

	"gocloud.dev/pubsub"
)

func init() {
	o := &URLOpener{Broker: NewBroker(BrokerOptions{})}
	pubsub.DefaultURLMux().RegisterTopic(Scheme, o)
	pubsub.DefaultURLMux().RegisterSubscription(Scheme, o)
}

// Scheme is the URL scheme memq registers its URLOpener under on
// pubsub.DefaultURLMux.
const Scheme = "memq"

// URLOpener opens memq URLs like "memq://herald-ingest". The URL's host and
// path name the topic; opening a topic or a subscription creates the topic.
//
// Query parameters of a topic or subscription URL:
//   - journal: a file path; the topic's journal (see Broker.OpenJournal).
//     Defaults to none: the topic is in memory only, unless another URL or
//     OpenJournal gave it one. A path other than the topic's journal is an
//     error.
//
// and of a subscription URL only:
//   - subscription: the subscription's name; defaults to the topic's (see
//     SubscriptionOptions.Name).
//   - ackdeadline: the ack deadline, a Go duration; defaults to 1m.
type URLOpener struct {
	// Broker holds the topics. Required.
	Broker *Broker
}

// OpenTopicURL implements pubsub.TopicURLOpener.
func (o *URLOpener) OpenTopicURL(_ context.Context, u *url.URL) (*pubsub.Topic, error) {
	q := u.Query()
	for param := range q {
		if param != "journal" {
			return nil, fmt.Errorf("open topic %v: invalid query parameter %q", u, param)
		}
	}
	name := path.Join(u.Host, u.Path)
	if err := o.openJournal(name, q); err != nil {
		return nil, fmt.Errorf("open topic %v: %w", u, err)
	}
	return o.Broker.OpenTopic(name), nil
}

// openJournal opens the journal q names, if any, for topic.
func (o *URLOpener) openJournal(topic string, q url.Values) error {
	if !q.Has("journal") {
		return nil
	}
	file := q.Get("journal")
	if file == "" {
		return errors.New("empty journal path")
	}
	return o.Broker.OpenJournal(topic, file)
}

// OpenSubscriptionURL implements pubsub.SubscriptionURLOpener.
func (o *URLOpener) OpenSubscriptionURL(_ context.Context, u *url.URL) (*pubsub.Subscription, error) {
	q := u.Query()
	name := path.Join(u.Host, u.Path)
	var opts SubscriptionOptions
	if s := q.Get("ackdeadline"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("open subscription %v: invalid ackdeadline %q: want a positive Go duration", u, s)
		}
		opts.AckDeadline = d
		q.Del("ackdeadline")
	}
	opts.Name = q.Get("subscription")
	q.Del("subscription")
	for param := range q {
		if param != "journal" {
			return nil, fmt.Errorf("open subscription %v: invalid query parameter %q", u, param)
		}
	}
	if err := o.openJournal(name, q); err != nil {
		return nil, fmt.Errorf("open subscription %v: %w", u, err)
	}
	return o.Broker.OpenSubscription(name, opts), nil
}
