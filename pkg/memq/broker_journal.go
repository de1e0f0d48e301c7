package memq

import (
	"errors"
	"fmt"
	"path/filepath"
)

// errJournalConflict is the error of naming a second journal file for a
// topic that has one.
var errJournalConflict = errors.New("memq: the topic has another journal")

// OpenJournal makes the topic named topic durable, creating the topic if
// need be: from now on a send returns only once its messages are in the
// bbolt file at path (created with mode 0600 if it does not exist), and an
// ack deletes the message from it. The journal is the topic's, so every
// subscription of the topic, and every handle on it, uses it.
//
// Opening a journal loads what it holds for the topic — left by an earlier
// process — into the topic's subscriptions: messages due already are
// available at once, delayed ones at their due time, and subscriptions it
// names are created. Messages the topic held in memory are written to it.
// An entry that cannot be read back is logged (BrokerOptions.Logger),
// moved to the file's "corrupt" bucket, and skipped.
//
// Opening the journal a topic has again does nothing; naming another file
// is an error. Several topics, of one Broker or several, may share a file:
// the process opens it once. Close the Broker to release it. Two live
// Brokers journaling the same topic in the same file would each load, and
// deliver, its messages: give a topic's journal to one Broker at a time.
func (b *Broker) OpenJournal(topic, path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("journal %s: %w", path, err)
	}
	b.journalMu.Lock()
	defer b.journalMu.Unlock()
	if b.closed {
		return ErrClosed
	}
	t := b.Topic(topic)
	t.mu.Lock()
	defer t.mu.Unlock()
	if j := t.journal.Load(); j != nil {
		if j.file.Path != abs {
			return fmt.Errorf("journal %s for topic %q: %w, %s", abs, topic, errJournalConflict, j.file.Path)
		}
		return nil
	}
	f, err := acquireJournalFile(abs)
	if err != nil {
		return err
	}
	j := &journal{file: f, topic: []byte(topic)}
	if err := t.restore(j, b.log); err != nil {
		_ = f.release()
		return fmt.Errorf("load journal %s for topic %q: %w", abs, topic, err)
	}
	t.journal.Store(j)
	return nil
}

// Close releases the journal files of the Broker's topics; a send to a
// journaled topic then fails with ErrClosed. Topics without a journal are
// not affected. Messages still in a journal are loaded again by the next
// OpenJournal of their topic, in this process or another.
func (b *Broker) Close() error {
	b.journalMu.Lock()
	defer b.journalMu.Unlock()
	b.closed = true
	b.mu.Lock()
	topics := make([]*Topic, 0, len(b.topics))
	for _, t := range b.topics {
		topics = append(topics, t)
	}
	b.mu.Unlock()
	var errs []error
	for _, t := range topics {
		if j := t.journal.Load(); j != nil {
			errs = append(errs, j.close())
		}
	}
	return errors.Join(errs...)
}
