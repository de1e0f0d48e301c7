// Package store owns how Herald's documents are kept in the gocloud.dev
// docstore collections: the field names, the queries and the indexes that
// serve them, the revision-conflict retry, iteration, the notification of
// every webhook write to the tables that copy them, and the delivery
// lifecycle — the only code that changes a delivery's status.
//
// The call log (log.go) reads every webhook's deliveries newest first, one
// page at a time, merging one ordered query per shard of its index, or per
// webhook of a scope (Merged).
//
// Callers pass the collections as the *docstore.Collection values they
// opened; nothing here wraps gocloud behind an interface. A field, status
// or index changes here and nowhere else.
//
// The delivery lifecycle (lifecycle.go): a delivery is created pending, or
// paused while its webhook is paused (NewDelivery); deliver claims an
// attempt (Claim) and records its outcome (Record: succeeded, pending again
// after the backoff step, or failed), stops one that cannot be sent (Stop),
// holds one whose webhook was paused meanwhile (Hold) and defers one whose
// webhook is at its in-flight cap (Defer); the retry-scheduler's sweep makes
// a lost attempt due again (Reschedule); an admin's retry, or a recovery's,
// makes a pending delivery's next attempt due now or re-arms a finished one
// (Retry, Rearm), a resume re-arms held ones (Rearm), and whoever wrote
// one held checks its webhook's pause again (Settle), the expiry-notifier
// settling those nobody did (SettleHeld); deliver ends one a full pause
// queue dropped (Overflow), and the expiry-notifier gives up one held too
// long (GiveUpHeld).
//
// A webhook's recovery in progress (recovery.go) is a record in the
// schedule collection that the retry-scheduler carries out pass by pass.
//
// The per-webhook limits and counters (health.go, pause.go) are decided by
// revision-checked writes of the webhook as it is, never from a copy read
// before: a held delivery takes a slot of its paused webhook's queue
// (TakeHeldSlot) before it is created (each pause numbered, a slot counts
// in its own pause only), a dropped one counts its drop and is kept as
// failed, each given back by a writer that finds the delivery kept by
// another copy of its event (GiveBack); a resume is one unconditional
// write, a pause tries until its deadline (SetPaused); an attempt's result
// is one write
// of the endpoint's health that records the event it calls for
// (RecordHealth). They hold whatever the concurrency, on every driver
// (storetest checks it).
package store
