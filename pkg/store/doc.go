// Package store owns how Herald's documents are kept in the gocloud.dev
// docstore collections: the field names, the queries and the indexes that
// serve them, the revision-conflict retry, iteration, the notification of
// every webhook write to the tables that copy them, and the delivery
// lifecycle — the only code that changes a delivery's status.
//
// Callers pass the collections as the *docstore.Collection values they
// opened; nothing here wraps gocloud behind an interface. A field, status
// or index changes here and nowhere else.
//
// The delivery lifecycle (lifecycle.go):
//
//	          Create                Claim              Record
//	(event) ─────────▶ pending ──────────▶ pending ──────────▶ succeeded
//	   │                 ▲  ▲     (leased)   │  │
//	   │ Create (paused) │  │ Reschedule ◀───┘  └──▶ failed ──┐
//	   ▼                 │  │                 GiveUp / Stop   │
//	 paused ─────────────┘  └──────────── Rearm (retry) ◀─────┘
//	   │  Release (resume)
//	   └──▶ failed (GiveUpHeld: held past the hold limit)
package store
