package emulator

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// Created names what Create made, by the template's logical ids.
type Created struct {
	QueueURL  map[string]string // SQS queue URL
	QueueARN  map[string]string
	TopicARN  map[string]string
	TableName map[string]string
	KeyID     map[string]string // KMS key id
}

type queueProps struct {
	VisibilityTimeout      *int `yaml:"VisibilityTimeout"`
	MessageRetentionPeriod *int `yaml:"MessageRetentionPeriod"`
	RedrivePolicy          *struct {
		DeadLetterTargetArn ref `yaml:"deadLetterTargetArn"`
		MaxReceiveCount     int `yaml:"maxReceiveCount"`
	} `yaml:"RedrivePolicy"`
}

type subscriptionProps struct {
	TopicArn           ref    `yaml:"TopicArn"`
	Protocol           string `yaml:"Protocol"`
	Endpoint           ref    `yaml:"Endpoint"`
	RawMessageDelivery bool   `yaml:"RawMessageDelivery"`
}

type keyElem struct {
	AttributeName string `yaml:"AttributeName"`
	KeyType       string `yaml:"KeyType"`
}

type tableProps struct {
	AttributeDefinitions []struct {
		AttributeName string `yaml:"AttributeName"`
		AttributeType string `yaml:"AttributeType"`
	} `yaml:"AttributeDefinitions"`
	KeySchema              []keyElem `yaml:"KeySchema"`
	GlobalSecondaryIndexes []struct {
		IndexName  string    `yaml:"IndexName"`
		KeySchema  []keyElem `yaml:"KeySchema"`
		Projection struct {
			ProjectionType   string   `yaml:"ProjectionType"`
			NonKeyAttributes []string `yaml:"NonKeyAttributes"`
		} `yaml:"Projection"`
	} `yaml:"GlobalSecondaryIndexes"`
}

// Create makes every SQS queue, SNS topic, SNS subscription, DynamoDB table
// and KMS key of the template at path on the emulator cfg points at, each named
// prefix + its logical id.
func Create(ctx context.Context, cfg aws.Config, path, prefix string) (*Created, error) {
	t, err := readTemplate(path)
	if err != nil {
		return nil, err
	}
	c := &Created{QueueURL: map[string]string{}, QueueARN: map[string]string{},
		TopicARN: map[string]string{}, TableName: map[string]string{}, KeyID: map[string]string{}}
	if err := c.queues(ctx, sqs.NewFromConfig(cfg), t, prefix); err != nil {
		return nil, err
	}
	if err := c.topics(ctx, sns.NewFromConfig(cfg), t, prefix); err != nil {
		return nil, err
	}
	if err := c.tables(ctx, dynamodb.NewFromConfig(cfg), t, prefix); err != nil {
		return nil, err
	}
	if err := c.kmsKeys(ctx, kms.NewFromConfig(cfg), t, prefix); err != nil {
		return nil, err
	}
	return c, nil
}

// queues creates dead-letter queues first, then the queues that redrive to
// them.
func (c *Created) queues(ctx context.Context, client *sqs.Client, t *template, prefix string) error {
	ids := t.ofType("AWS::SQS::Queue")
	for _, pass := range []bool{false, true} {
		for _, id := range ids {
			var p queueProps
			if err := t.props(id, &p); err != nil {
				return fmt.Errorf("%s: %w", id, err)
			}
			if (p.RedrivePolicy != nil) != pass {
				continue
			}
			attrs := map[string]string{}
			if p.VisibilityTimeout != nil {
				attrs["VisibilityTimeout"] = strconv.Itoa(*p.VisibilityTimeout)
			}
			if p.MessageRetentionPeriod != nil {
				attrs["MessageRetentionPeriod"] = strconv.Itoa(*p.MessageRetentionPeriod)
			}
			if rp := p.RedrivePolicy; rp != nil {
				b, _ := json.Marshal(map[string]any{"deadLetterTargetArn": c.QueueARN[rp.DeadLetterTargetArn.target()],
					"maxReceiveCount": rp.MaxReceiveCount})
				attrs["RedrivePolicy"] = string(b)
			}
			out, err := client.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(prefix + id), Attributes: attrs})
			if err != nil {
				return fmt.Errorf("create queue %s: %w", id, err)
			}
			c.QueueURL[id] = aws.ToString(out.QueueUrl)
			a, err := client.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: out.QueueUrl,
				AttributeNames: []sqstypes.QueueAttributeName{"QueueArn"}})
			if err != nil {
				return fmt.Errorf("queue %s arn: %w", id, err)
			}
			c.QueueARN[id] = a.Attributes["QueueArn"]
		}
	}
	return nil
}

func (c *Created) topics(ctx context.Context, client *sns.Client, t *template, prefix string) error {
	for _, id := range t.ofType("AWS::SNS::Topic") {
		out, err := client.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String(prefix + id)})
		if err != nil {
			return fmt.Errorf("create topic %s: %w", id, err)
		}
		c.TopicARN[id] = aws.ToString(out.TopicArn)
	}
	for _, id := range t.ofType("AWS::SNS::Subscription") {
		var p subscriptionProps
		if err := t.props(id, &p); err != nil {
			return fmt.Errorf("%s: %w", id, err)
		}
		out, err := client.Subscribe(ctx, &sns.SubscribeInput{TopicArn: aws.String(c.TopicARN[p.TopicArn.target()]),
			Protocol: aws.String(p.Protocol), Endpoint: aws.String(c.QueueARN[p.Endpoint.target()]),
			Attributes: map[string]string{"RawMessageDelivery": strconv.FormatBool(p.RawMessageDelivery)}})
		if err != nil {
			return fmt.Errorf("subscribe %s: %w", id, err)
		}
		_ = out
	}
	return nil
}

func (c *Created) tables(ctx context.Context, client *dynamodb.Client, t *template, prefix string) error {
	for _, id := range t.ofType("AWS::DynamoDB::Table") {
		var p tableProps
		if err := t.props(id, &p); err != nil {
			return fmt.Errorf("%s: %w", id, err)
		}
		in := &dynamodb.CreateTableInput{TableName: aws.String(prefix + id), BillingMode: ddbtypes.BillingModePayPerRequest,
			KeySchema: keys(p.KeySchema)}
		for _, a := range p.AttributeDefinitions {
			in.AttributeDefinitions = append(in.AttributeDefinitions, ddbtypes.AttributeDefinition{
				AttributeName: aws.String(a.AttributeName), AttributeType: ddbtypes.ScalarAttributeType(a.AttributeType)})
		}
		for _, g := range p.GlobalSecondaryIndexes {
			// The template's projection: the driver uses an index only for
			// queries whose fields it projects, as on AWS.
			in.GlobalSecondaryIndexes = append(in.GlobalSecondaryIndexes, ddbtypes.GlobalSecondaryIndex{
				IndexName: aws.String(g.IndexName), KeySchema: keys(g.KeySchema),
				Projection: &ddbtypes.Projection{ProjectionType: ddbtypes.ProjectionType(g.Projection.ProjectionType),
					NonKeyAttributes: g.Projection.NonKeyAttributes}})
		}
		if _, err := client.CreateTable(ctx, in); err != nil {
			return fmt.Errorf("create table %s: %w", id, err)
		}
		c.TableName[id] = prefix + id
	}
	return nil
}

func keys(ks []keyElem) []ddbtypes.KeySchemaElement {
	var out []ddbtypes.KeySchemaElement
	for _, k := range ks {
		out = append(out, ddbtypes.KeySchemaElement{AttributeName: aws.String(k.AttributeName), KeyType: ddbtypes.KeyType(k.KeyType)})
	}
	return out
}

func (c *Created) kmsKeys(ctx context.Context, client *kms.Client, t *template, prefix string) error {
	for _, id := range t.ofType("AWS::KMS::Key") {
		out, err := client.CreateKey(ctx, &kms.CreateKeyInput{Description: aws.String(prefix + id)})
		if err != nil {
			return fmt.Errorf("create key %s: %w", id, err)
		}
		c.KeyID[id] = aws.ToString(out.KeyMetadata.KeyId)
	}
	return nil
}
