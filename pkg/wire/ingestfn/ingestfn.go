// Package ingestfn builds the ingest function from a wire.Env: what it
// opens (Needs) and the handler (Build).
package ingestfn

import (
	"github.com/heraldhq/herald/pkg/config"
	"github.com/heraldhq/herald/pkg/envelope"
	"github.com/heraldhq/herald/pkg/ingest"
	"github.com/heraldhq/herald/pkg/wire"
)

// Needs is what ingest opens: the webhooks it fans out to, the events and
// deliveries it writes, the schedule and deliver topic of first attempts,
// and the ingest subscription it receives from (not on Lambda, where the
// event source mapping receives).
var Needs = config.Needs{Webhooks: true, Events: true, Deliveries: true, Schedule: true,
	DeliverTopic: true, IngestSub: true}

// Build builds the ingest function.
func Build(e wire.Env) (*ingest.Handler, error) {
	e.Defaults()
	enq, err := wire.Enqueuer(e)
	if err != nil {
		return nil, err
	}
	return ingest.New(ingest.Config{Webhooks: e.Res.Webhooks, Events: e.Res.Events,
		Deliveries: e.Res.Deliveries, Enqueuer: enq, Parser: parser(e), Metrics: e.Metrics, Now: e.Now,
		Table: e.Table, EventCache: e.Events, SoleOwner: e.SoleOwner,
		Logger: e.Log("ingest")})
}

// parser builds the event parser.
func parser(e wire.Env) *envelope.Parser {
	return envelope.New(envelope.Config{MaxBytes: e.Config.MaxEventBytes, Now: e.Now})
}
