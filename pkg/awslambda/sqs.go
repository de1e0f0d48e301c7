package awslambda

import (
	"context"
	neturl "net/url"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/heraldhq/herald/pkg/consume"
	"github.com/heraldhq/herald/pkg/metrics"
)

// SQS adapts a queue function's domain handler to an SQS event source with
// ReportBatchItemFailures: the records of a batch are handled concurrently;
// a record that succeeds or is malformed (logged, counted) is acknowledged,
// and only the records that failed transiently are reported, so SQS
// redelivers just those after their visibility timeout. The batch as a whole
// never fails. After each batch the metrics are flushed as one EMF line.
func SQS(h consume.Handler, cfg Config) func(context.Context, events.SQSEvent) (events.SQSEventResponse, error) {
	return SQSRouted(func(string) consume.Handler { return h }, cfg)
}

// SQSRouted is SQS for a function with several queues as event sources:
// each record is handled by route(its eventSourceARN).
func SQSRouted(route func(eventSourceARN string) consume.Handler, cfg Config) func(context.Context, events.SQSEvent) (events.SQSEventResponse, error) {
	cfg.defaults()
	log := cfg.Logger
	return func(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
		var (
			mu   sync.Mutex
			resp events.SQSEventResponse
			wg   sync.WaitGroup
		)
		defer cfg.flush()
		for _, r := range ev.Records {
			cfg.Stats.Received.Add(1)
			cfg.Metrics.MessageReceived(cfg.Function)
			wg.Add(1)
			go func() {
				defer wg.Done()
				body, metadata := DecodeRecord(r)
				start := time.Now()
				err := route(r.EventSourceARN)(consume.WithMetadata(ctx, metadata), body)
				outcome := consume.Outcome(err)
				cfg.Stats.Count(outcome)
				cfg.Metrics.MessageHandled(cfg.Function, outcome, time.Since(start))
				switch outcome {
				case metrics.Malformed:
					log.Warn("dropped malformed message", "error", err, "message_id", r.MessageId, "bytes", len(body))
				case metrics.Failed:
					log.Error("message failed, left for redelivery", "error", err, "message_id", r.MessageId)
					mu.Lock()
					resp.BatchItemFailures = append(resp.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: r.MessageId})
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		return resp, nil
	}
}

// IsQueue reports whether arn (an SQS event source, arn:aws:sqs:region:
// account:name) is the queue that url names (awssqs://sqs.region.
// amazonaws.com/account/name?…, as in HERALD_* variables).
func IsQueue(arn, url string) bool {
	parts := strings.Split(arn, ":")
	if len(parts) != 6 || parts[2] != "sqs" {
		return false
	}
	u, err := neturl.Parse(url)
	if err != nil || u.Scheme != "awssqs" {
		return false
	}
	path := strings.Split(strings.Trim(u.Path, "/"), "/")
	return len(path) == 2 && path[0] == parts[4] && path[1] == parts[5]
}
