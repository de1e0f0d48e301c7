package samstack

import (
	"encoding/json"
	"testing"
)

func TestResolverEvaluatesIntrinsics(t *testing.T) {
	r := &resolver{region: "us-east-1", account: "123456789012", params: map[string]string{"Env": "prod"},
		resources: map[string]resource{
			"Queue": {Type: "AWS::SQS::Queue", Physical: "https://sqs.us-east-1.amazonaws.com/123456789012/s-Queue-X"},
			"Topic": {Type: "AWS::SNS::Topic", Physical: "arn:aws:sns:us-east-1:123456789012:s-Topic-Y"},
			"Table": {Type: "AWS::DynamoDB::Table", Physical: "s-Table-Z"},
			"Fn":    {Type: "AWS::Lambda::Function", Physical: "s-Fn-W"},
		}}
	for _, c := range []struct {
		in   string
		want string
	}{
		{`{"Ref":"Queue"}`, "https://sqs.us-east-1.amazonaws.com/123456789012/s-Queue-X"},
		{`{"Fn::GetAtt":["Queue","Arn"]}`, "arn:aws:sqs:us-east-1:123456789012:s-Queue-X"},
		{`{"Fn::GetAtt":"Queue.QueueName"}`, "s-Queue-X"},
		{`{"Ref":"Topic"}`, "arn:aws:sns:us-east-1:123456789012:s-Topic-Y"},
		{`{"Fn::GetAtt":["Topic","TopicName"]}`, "s-Topic-Y"},
		{`{"Fn::GetAtt":["Table","Arn"]}`, "arn:aws:dynamodb:us-east-1:123456789012:table/s-Table-Z"},
		{`{"Fn::GetAtt":["Fn","Arn"]}`, "arn:aws:lambda:us-east-1:123456789012:function:s-Fn-W"},
		{`{"Fn::Sub":"arn:${AWS::Partition}:x:${AWS::Region}:${AWS::AccountId}:${Table}/${Env}"}`,
			"arn:aws:x:us-east-1:123456789012:s-Table-Z/prod"},
		{`{"Fn::Sub":["${Q}/${Topic.TopicName}",{"Q":{"Fn::GetAtt":["Queue","QueueName"]}}]}`, "s-Queue-X/s-Topic-Y"},
		{`{"Fn::Join":["-",["a",{"Ref":"Env"}]]}`, "a-prod"},
		{`"plain"`, "plain"},
	} {
		var v any
		if err := json.Unmarshal([]byte(c.in), &v); err != nil {
			t.Fatal(err)
		}
		got, err := r.eval(v)
		if err != nil || got != c.want {
			t.Errorf("eval(%s) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{`{"Ref":"Missing"}`, `{"Fn::GetAtt":["Table","StreamArn"]}`, `{"Fn::If":["C","a","b"]}`} {
		var v any
		_ = json.Unmarshal([]byte(bad), &v)
		if got, err := r.eval(v); err == nil {
			t.Errorf("eval(%s) = %q, want an error", bad, got)
		}
	}
}

func TestUnescapeReadsMotosPythonLiterals(t *testing.T) {
	got := unescape(`{'Statement': [{'Action': ['sqs:SendMessage*'], 'Effect': 'Allow', 'Resource': 'arn:aws:sqs:r:1:q', 'X': True, 'Y': None, 'Z': "it's"}]}`)
	var v struct {
		Statement []map[string]any
	}
	if err := json.Unmarshal([]byte(got), &v); err != nil {
		t.Fatalf("%s: %v", got, err)
	}
	s := v.Statement[0]
	if s["Resource"] != "arn:aws:sqs:r:1:q" || s["X"] != true || s["Y"] != nil || s["Z"] != "it's" {
		t.Fatalf("%v", s)
	}
	if got := unescape("%7B%22a%22%3A1%7D"); got != `{"a":1}` {
		t.Fatalf("URL-encoded: %s", got)
	}
}
