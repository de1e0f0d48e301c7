package function_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"gocloud.dev/docstore/memdocstore"
	"gocloud.dev/pubsub"
	"gocloud.dev/pubsub/awssnssqs"

	"github.com/heraldhq/herald/pkg/enqueue"
	"github.com/heraldhq/herald/pkg/function"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/moto"
	"github.com/heraldhq/herald/pkg/schedule"
)

// TestEnqueueUsesSQSDelay enqueues a job due in 2 s on a gocloud SQS topic
// (moto): it goes out at once with DelaySeconds, not through the due-time
// table, and the queue holds it back until it is due.
func TestEnqueueUsesSQSDelay(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	client, q, topic := deliverQueue(t)
	if got := function.Delayer(topic).Max; got != 900*time.Second {
		t.Fatalf("Delayer(SQS topic).Max = %v, want 900s", got)
	}
	table, err := memdocstore.OpenCollection("id", nil)
	if err != nil {
		t.Fatal(err)
	}
	scheduled := 0
	enq, err := enqueue.New(enqueue.Config{Topic: topic, Table: table, Delayer: function.Delayer(topic),
		OnSchedule: func(time.Time) { scheduled++ }})
	if err != nil {
		t.Fatal(err)
	}

	job := herald.Job{DeliveryID: 42, Attempt: 2}
	sent := time.Now()
	if err := enq.Enqueue(ctx, job, sent.Add(2*time.Second)); err != nil {
		t.Fatal(err)
	}
	if scheduled != 0 {
		t.Fatal("a 2 s step went through the due-time table")
	}
	for {
		out, err := client.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: q.QueueUrl, WaitTimeSeconds: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Messages) == 0 {
			if time.Since(sent) > 10*time.Second {
				t.Fatal("the delayed job never arrived")
			}
			continue
		}
		waited := time.Since(sent)
		got, err := herald.DecodeJob([]byte(aws.ToString(out.Messages[0].Body)))
		if err != nil || got != job {
			t.Fatalf("received %v, %v; want %+v", got, err, job)
		}
		if waited < 1900*time.Millisecond || waited > 4*time.Second {
			t.Errorf("job arrived after %s, want about 2s", waited)
		}
		return
	}
}

// TestLongStepGoesThroughTableThenSQSDelay: a 6 h step on SQS is written to
// the due-time table; when the scheduler runs within the native delay of its
// due time, it publishes the job with the remaining delay, so the job still
// arrives exactly when due.
func TestLongStepGoesThroughTableThenSQSDelay(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	client, q, topic := deliverQueue(t)
	table, err := memdocstore.OpenCollection("id", nil)
	if err != nil {
		t.Fatal(err)
	}
	deliveries, err := memdocstore.OpenCollection("id", nil)
	if err != nil {
		t.Fatal(err)
	}
	// A clock the test moves: it starts 6 h before the due time.
	start := time.Now()
	offset := time.Duration(0)
	now := func() time.Time { return time.Now().Add(offset) }
	enq, err := enqueue.New(enqueue.Config{Topic: topic, Table: table, Delayer: function.Delayer(topic), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	sched, err := schedule.New(schedule.Config{Topic: topic, Delayer: function.Delayer(topic), Table: table,
		Deliveries: deliveries, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	job := herald.Job{DeliveryID: 7, Attempt: 6}
	due := start.Add(6 * time.Hour)
	if err := enq.Enqueue(ctx, job, due); err != nil {
		t.Fatal(err)
	}
	if _, n, err := sched.PublishDue(ctx); err != nil || n != 0 {
		t.Fatalf("6 h ahead: published %d, %v; want nothing yet", n, err)
	}
	// Jump to 3 s before due: within SQS's 900 s, so it goes out now with
	// a 3 s delay.
	offset = time.Until(due.Add(-3 * time.Second))
	published := time.Now()
	if _, n, err := sched.PublishDue(ctx); err != nil || n != 1 {
		t.Fatalf("3 s before due: published %d, %v; want 1", n, err)
	}
	for {
		out, err := client.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: q.QueueUrl, WaitTimeSeconds: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Messages) == 0 {
			if time.Since(published) > 10*time.Second {
				t.Fatal("the scheduled job never arrived")
			}
			continue
		}
		if waited := time.Since(published); waited < 2900*time.Millisecond || waited > 5*time.Second {
			t.Errorf("job arrived %s after publishing, want about 3s (its remaining delay)", waited)
		}
		if got, _ := herald.DecodeJob([]byte(aws.ToString(out.Messages[0].Body))); got != job {
			t.Errorf("received %+v, want %+v", got, job)
		}
		return
	}
}

// deliverQueue starts moto and returns an SQS client, a queue, and a gocloud
// topic on it (shut down when the test ends).
func deliverQueue(t *testing.T) (*sqs.Client, *sqs.CreateQueueOutput, *pubsub.Topic) {
	t.Helper()
	ctx := context.Background()
	client := sqs.NewFromConfig(moto.Config(moto.Start(t)))
	q, err := client.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("deliver")})
	if err != nil {
		t.Fatal(err)
	}
	topic := awssnssqs.OpenSQSTopicV2(ctx, client, aws.ToString(q.QueueUrl), nil)
	t.Cleanup(func() { _ = topic.Shutdown(ctx) })
	return client, q, topic
}
