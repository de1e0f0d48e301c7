package iamcheck_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/heraldhq/herald/pkg/moto"
)

// TestMotoEnforcementIgnoresDynamoDBResources keeps the reason this package
// exists true: with moto's own IAM enforcement on, a role allowed dynamodb:*
// on table A alone is refused UpdateItem on A (moto checks DynamoDB calls
// against resource "*"), while SQS is checked against the queue named. When
// moto learns DynamoDB resources this test fails, and moto's enforcement may
// replace the proxy.
func TestMotoEnforcementIgnoresDynamoDBResources(t *testing.T) {
	endpoint := moto.Start(t)
	ctx := context.Background()
	admin := moto.Config(endpoint)
	db := dynamodb.NewFromConfig(admin)
	for _, name := range []string{"A", "B"} {
		if _, err := db.CreateTable(ctx, &dynamodb.CreateTableInput{TableName: aws.String(name), BillingMode: ddbtypes.BillingModePayPerRequest,
			KeySchema:            []ddbtypes.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: ddbtypes.KeyTypeHash}},
			AttributeDefinitions: []ddbtypes.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: ddbtypes.ScalarAttributeTypeS}}}); err != nil {
			// A call the SDK retried (a loaded moto answered a 5xx, or
			// broke the connection, after creating the table) finds it
			// made: that is the table wanted.
			if inUse := new(ddbtypes.ResourceInUseException); !errors.As(err, &inUse) {
				t.Fatal(err)
			}
		}
	}
	queues := sqs.NewFromConfig(admin)
	qa, err := queues.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("qa")})
	if err != nil {
		t.Fatal(err)
	}
	qb, err := queues.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("qb")})
	if err != nil {
		t.Fatal(err)
	}
	ic := iam.NewFromConfig(admin)
	if _, err := ic.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("r"),
		AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}`)}); err != nil {
		t.Fatal(err)
	}
	if _, err := ic.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("r"), PolicyName: aws.String("p"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[
			{"Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:us-east-1:123456789012:table/A"},
			{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:123456789012:qa"}]}`)}); err != nil {
		t.Fatal(err)
	}
	out, err := sts.NewFromConfig(admin).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/r"),
		RoleSessionName: aws.String("check")})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(endpoint+"/moto-api/reset-auth", "text/plain", strings.NewReader("0"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	role := moto.Config(endpoint)
	c := out.Credentials
	role.Credentials = aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: aws.ToString(c.AccessKeyId), SecretAccessKey: aws.ToString(c.SecretAccessKey),
			SessionToken: aws.ToString(c.SessionToken)}, nil
	})
	// moto answers a refusal with 403 (for DynamoDB in an XML body the
	// SDK cannot decode).
	denied := func(err error) bool {
		var re *awshttp.ResponseError
		return errors.As(err, &re) && re.HTTPStatusCode() == http.StatusForbidden
	}
	rdb, rsqs := dynamodb.NewFromConfig(role), sqs.NewFromConfig(role)
	_, err = rdb.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("A")})
	if !denied(err) {
		t.Fatalf("moto now allows DescribeTable on the table the policy names (%v): its enforcement may do instead of the proxy", err)
	}
	if _, err := rsqs.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: qa.QueueUrl, MessageBody: aws.String("x")}); err != nil {
		t.Fatalf("SQS on the queue named: %v", err)
	}
	if _, err := rsqs.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: qb.QueueUrl, MessageBody: aws.String("x")}); !denied(err) {
		t.Fatalf("SQS on another queue: %v, want AccessDenied", err)
	}
}
