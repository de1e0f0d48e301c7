package lambdart

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// Invoker invokes a function once; *Function is one.
type Invoker interface {
	Invoke(ctx context.Context, payload []byte) (*Result, error)
}

// EventSource is an SQS event source mapping of a function.
type EventSource struct {
	// QueueURL and QueueARN name the queue. Required.
	QueueURL, QueueARN string
	// Region is the event records' awsRegion. Defaults to "us-east-1".
	Region string
	// BatchSize is the most messages one invocation gets. Defaults to 10.
	BatchSize int
	// ReportBatchItemFailures is whether the mapping reads the
	// batchItemFailures of the answer (FunctionResponseTypes); without it
	// a successful answer deletes the whole batch.
	ReportBatchItemFailures bool
	// WaitSeconds is the receive's long poll. Defaults to 0 (short poll).
	WaitSeconds int32
}

// Batch is what one PollSQS round did.
type Batch struct {
	Received int      // messages received and passed to the function
	Failed   []string // message ids left on the queue (reported failed, or the whole batch on an error)
	Result   *Result  // the function's answer; nil when nothing was received
}

// PollSQS plays the event source mapping once, as Lambda's poller does with
// the function's execution role: it receives up to BatchSize messages from
// the queue with client (made with the function's credentials), invokes the
// function with them as an SQS event, and deletes the messages that were not
// reported as failed. A function error deletes nothing: the messages come
// back after their visibility timeout. Nothing received: an empty Batch, no
// invocation.
func PollSQS(ctx context.Context, fn Invoker, client *sqs.Client, src EventSource) (*Batch, error) {
	if src.BatchSize <= 0 {
		src.BatchSize = 10
	}
	if src.Region == "" {
		src.Region = "us-east-1"
	}
	out, err := client.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(src.QueueURL),
		MaxNumberOfMessages:         int32(min(src.BatchSize, 10)),
		WaitTimeSeconds:             src.WaitSeconds,
		MessageSystemAttributeNames: []sqstypes.MessageSystemAttributeName{sqstypes.MessageSystemAttributeNameAll},
		MessageAttributeNames:       []string{"All"}})
	if err != nil {
		return nil, fmt.Errorf("receive from %s: %w", src.QueueARN, err)
	}
	b := &Batch{Received: len(out.Messages)}
	if len(out.Messages) == 0 {
		return b, nil
	}
	payload, err := json.Marshal(SQSEvent(src.QueueARN, src.Region, out.Messages))
	if err != nil {
		return nil, err
	}
	b.Result, err = fn.Invoke(ctx, payload)
	if err != nil {
		return nil, err
	}
	failed := map[string]bool{}
	switch {
	case b.Result.Error != nil:
		for _, m := range out.Messages {
			failed[aws.ToString(m.MessageId)] = true
		}
	case src.ReportBatchItemFailures:
		var resp events.SQSEventResponse
		if err := json.Unmarshal(b.Result.Payload, &resp); err != nil && len(b.Result.Payload) > 0 {
			return nil, fmt.Errorf("the answer is not an SQS batch response: %w: %s", err, b.Result.Payload)
		}
		for _, f := range resp.BatchItemFailures {
			failed[f.ItemIdentifier] = true
		}
	}
	var del []sqstypes.DeleteMessageBatchRequestEntry
	for i, m := range out.Messages {
		if failed[aws.ToString(m.MessageId)] {
			b.Failed = append(b.Failed, aws.ToString(m.MessageId))
			continue
		}
		del = append(del, sqstypes.DeleteMessageBatchRequestEntry{Id: aws.String(strconv.Itoa(i)), ReceiptHandle: m.ReceiptHandle})
	}
	if len(del) > 0 {
		d, err := client.DeleteMessageBatch(ctx, &sqs.DeleteMessageBatchInput{QueueUrl: aws.String(src.QueueURL), Entries: del})
		if err != nil {
			return b, fmt.Errorf("delete from %s: %w", src.QueueARN, err)
		}
		if len(d.Failed) > 0 {
			return b, fmt.Errorf("delete from %s: %d of %d failed: %s", src.QueueARN, len(d.Failed), len(del),
				aws.ToString(d.Failed[0].Message))
		}
	}
	return b, nil
}

// SQSEvent is the event Lambda's SQS event source mapping sends for msgs.
func SQSEvent(queueARN, region string, msgs []sqstypes.Message) events.SQSEvent {
	var ev events.SQSEvent
	for _, m := range msgs {
		r := events.SQSMessage{MessageId: aws.ToString(m.MessageId), ReceiptHandle: aws.ToString(m.ReceiptHandle),
			Body: aws.ToString(m.Body), Md5OfBody: aws.ToString(m.MD5OfBody),
			Md5OfMessageAttributes: aws.ToString(m.MD5OfMessageAttributes), Attributes: m.Attributes,
			MessageAttributes: map[string]events.SQSMessageAttribute{}, EventSource: "aws:sqs",
			EventSourceARN: queueARN, AWSRegion: region}
		for k, a := range m.MessageAttributes {
			r.MessageAttributes[k] = events.SQSMessageAttribute{StringValue: a.StringValue, BinaryValue: a.BinaryValue,
				StringListValues: a.StringListValues, BinaryListValues: a.BinaryListValues, DataType: aws.ToString(a.DataType)}
		}
		ev.Records = append(ev.Records, r)
	}
	return ev
}
