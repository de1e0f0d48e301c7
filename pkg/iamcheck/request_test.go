package iamcheck

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

var scope = Scope{Region: "us-east-1", Account: "123456789012",
	Names: map[string]map[string]string{"secretsmanager": {"admin-token": "arn:aws:secretsmanager:us-east-1:123456789012:secret:admin-token-AbCdEf"}}}

func signed(service, target, body string) *http.Request {
	r, _ := http.NewRequest("POST", "http://emulator/", strings.NewReader(body))
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=ASIAKEY/20260101/us-east-1/"+service+
		"/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc")
	if target != "" {
		r.Header.Set("X-Amz-Target", target)
	}
	return r
}

func TestParseRequest(t *testing.T) {
	blob := base64.StdEncoding.EncodeToString([]byte("aa8b3dd5-1e47-4137-9b1a-ebfc0965af5d" + "ciphertext"))
	for _, c := range []struct {
		name                  string
		service, target, body string
		want                  []Check
	}{
		{"dynamodb table", "dynamodb", "DynamoDB_20120810.UpdateItem", `{"TableName":"W","Key":{}}`,
			[]Check{{"dynamodb:UpdateItem", table + "W"}}},
		{"dynamodb index", "dynamodb", "DynamoDB_20120810.Query", `{"TableName":"D","IndexName":"by_due"}`,
			[]Check{{"dynamodb:Query", table + "D/index/by_due"}}},
		{"dynamodb batch get, every table", "dynamodb", "DynamoDB_20120810.BatchGetItem", `{"RequestItems":{"B":{},"A":{}}}`,
			[]Check{{"dynamodb:BatchGetItem", table + "A"}, {"dynamodb:BatchGetItem", table + "B"}}},
		{"dynamodb transaction as its items", "dynamodb", "DynamoDB_20120810.TransactWriteItems",
			`{"TransactItems":[{"Put":{"TableName":"A"}},{"ConditionCheck":{"TableName":"B"}}]}`,
			[]Check{{"dynamodb:PutItem", table + "A"}, {"dynamodb:ConditionCheckItem", table + "B"}}},
		{"dynamodb list tables names none", "dynamodb", "DynamoDB_20120810.ListTables", `{}`,
			[]Check{{"dynamodb:ListTables", "*"}}},
		{"sqs json", "sqs", "AmazonSQS.SendMessage", `{"QueueUrl":"https://sqs.us-east-1.amazonaws.com/123456789012/q1"}`,
			[]Check{{"sqs:SendMessage", "arn:aws:sqs:us-east-1:123456789012:q1"}}},
		{"sqs batch as the single action", "sqs", "AmazonSQS.DeleteMessageBatch", `{"QueueUrl":"http://localhost:5000/123456789012/q1"}`,
			[]Check{{"sqs:DeleteMessage", "arn:aws:sqs:us-east-1:123456789012:q1"}}},
		{"sqs query protocol", "sqs", "", "Action=ReceiveMessage&QueueUrl=" + url.QueryEscape("https://sqs.us-east-1.amazonaws.com/123456789012/q2"),
			[]Check{{"sqs:ReceiveMessage", "arn:aws:sqs:us-east-1:123456789012:q2"}}},
		{"sns query", "sns", "", "Action=PublishBatch&TopicArn=" + url.QueryEscape("arn:aws:sns:us-east-1:123456789012:t"),
			[]Check{{"sns:Publish", "arn:aws:sns:us-east-1:123456789012:t"}}},
		{"kms key id", "kms", "TrentService.Encrypt", `{"KeyId":"k1","Plaintext":"eA=="}`,
			[]Check{{"kms:Encrypt", "arn:aws:kms:us-east-1:123456789012:key/k1"}}},
		{"kms decrypt reads the key from the blob", "kms", "TrentService.Decrypt", `{"CiphertextBlob":"` + blob + `"}`,
			[]Check{{"kms:Decrypt", "arn:aws:kms:us-east-1:123456789012:key/aa8b3dd5-1e47-4137-9b1a-ebfc0965af5d"}}},
		{"secret by name", "secretsmanager", "secretsmanager.GetSecretValue", `{"SecretId":"admin-token"}`,
			[]Check{{"secretsmanager:GetSecretValue", "arn:aws:secretsmanager:us-east-1:123456789012:secret:admin-token-AbCdEf"}}},
		{"unknown secret name", "secretsmanager", "secretsmanager.GetSecretValue", `{"SecretId":"other"}`,
			[]Check{{"secretsmanager:GetSecretValue", "arn:aws:secretsmanager:us-east-1:123456789012:secret:other-??????"}}},
	} {
		call := ParseRequest(signed(c.service, c.target, c.body), []byte(c.body), scope)
		if call == nil || call.AccessKey != "ASIAKEY" || call.Service != c.service {
			t.Errorf("%s: call %+v", c.name, call)
			continue
		}
		if !reflect.DeepEqual(call.Checks, c.want) {
			t.Errorf("%s: checks %v, want %v", c.name, call.Checks, c.want)
		}
	}
	if ParseRequest(httptestRequest(), nil, scope) != nil {
		t.Error("an unsigned request parsed as a call")
	}
}

func httptestRequest() *http.Request {
	r, _ := http.NewRequest("GET", "http://emulator/moto-api/", nil)
	return r
}
