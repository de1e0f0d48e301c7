package awslambda

import (
	"context"
	"log/slog"
	"sync"

	"github.com/aws/aws-lambda-go/events"

	"github.com/heraldhq/herald/pkg/consume"
	"github.com/heraldhq/herald/pkg/herald"
)

// SQS adapts a queue function's domain handler to an SQS event source with
// ReportBatchItemFailures: the records of a batch are handled concurrently;
// a record that succeeds or is malformed (logged, counted in stats) is
// acknowledged, and only the records that failed transiently are reported,
// so SQS redelivers just those after their visibility timeout. The batch as a
// whole never fails.
func SQS(h consume.Handler, stats *consume.Stats, log *slog.Logger) func(context.Context, events.SQSEvent) (events.SQSEventResponse, error) {
	if stats == nil {
		stats = new(consume.Stats)
	}
	return func(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
		var (
			mu   sync.Mutex
			resp events.SQSEventResponse
			wg   sync.WaitGroup
		)
		for _, r := range ev.Records {
			stats.Received.Add(1)
			wg.Add(1)
			go func() {
				defer wg.Done()
				body, _ := DecodeRecord(r)
				err := h(ctx, body)
				switch {
				case err == nil:
					stats.Done.Add(1)
				case herald.IsMalformed(err):
					stats.Malformed.Add(1)
					log.Warn("dropped malformed message", "error", err, "message_id", r.MessageId, "bytes", len(body))
				default:
					stats.Failed.Add(1)
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
