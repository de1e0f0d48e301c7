package memq

import (
	"maps"
	"slices"
	"time"

	"gocloud.dev/pubsub/driver"
)

// pending is a message on its way into a journaled topic.
type pending struct {
	body     []byte
	metadata map[string]string
	due      time.Time
}

// sendJournaled implements SendBatch on a journaled topic: every message
// is on disk before any is received, and before it returns nil.
func (d *topicDriver) sendJournaled(j *journal, ms []*driver.Message) error {
	msgs := make([]pending, len(ms))
	for i, m := range ms {
		var opts SendOptions
		if m.BeforeSend != nil {
			if err := m.BeforeSend(sendOptionsAs(&opts)); err != nil {
				return err
			}
		}
		msgs[i] = pending{body: m.Body, metadata: m.Metadata, due: d.t.dueAfter(opts.Delay)}
	}
	d.t.mu.Lock()
	subs := d.t.subsLocked()
	d.t.mu.Unlock()
	if err := d.t.journalAndAdd(j, subs, msgs); err != nil {
		return err
	}
	for _, m := range ms {
		if m.AfterSend != nil {
			if err := m.AfterSend(func(any) bool { return false }); err != nil {
				return err
			}
		}
	}
	return nil
}

// subsLocked returns t's subscriptions. t.mu is held.
func (t *Topic) subsLocked() []*Subscription {
	return slices.Collect(maps.Values(t.subs))
}

// journalAndAdd writes msgs to the journal queue of every subscription of
// subs, then, once they are on disk, adds them to the subscriptions.
func (t *Topic) journalAndAdd(j *journal, subs []*Subscription, msgs []pending) error {
	recs := make([][]byte, len(msgs))
	for i, m := range msgs {
		recs[i] = encodeRecord(m.body, m.metadata, m.due)
	}
	names := make([]string, len(subs))
	for i, s := range subs {
		names[i] = s.name
	}
	keys, err := j.put(names, recs)
	if err != nil {
		return err
	}
	for i, s := range subs {
		for k, m := range msgs {
			s.q.addJournaled(keys[i*len(msgs)+k], m.body, maps.Clone(m.metadata), m.due)
		}
	}
	return nil
}
