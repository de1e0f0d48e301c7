package memq

import (
	"context"
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
// Query parameters of a subscription URL:
//   - subscription: the subscription's name; defaults to the topic's (see
//     SubscriptionOptions.Name).
//   - ackdeadline: the ack deadline, a Go duration; defaults to 1m.
//
// A topic URL takes none.
type URLOpener struct {
	// Broker holds the topics. Required.
	Broker *Broker
}

// OpenTopicURL implements pubsub.TopicURLOpener.
func (o *URLOpener) OpenTopicURL(_ context.Context, u *url.URL) (*pubsub.Topic, error) {
	for param := range u.Query() {
		return nil, fmt.Errorf("open topic %v: invalid query parameter %q", u, param)
	}
	return o.Broker.OpenTopic(path.Join(u.Host, u.Path)), nil
}

// OpenSubscriptionURL implements pubsub.SubscriptionURLOpener.
func (o *URLOpener) OpenSubscriptionURL(_ context.Context, u *url.URL) (*pubsub.Subscription, error) {
	q := u.Query()
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
		return nil, fmt.Errorf("open subscription %v: invalid query parameter %q", u, param)
	}
	return o.Broker.OpenSubscription(path.Join(u.Host, u.Path), opts), nil
}
