package iamcheck

import "testing"

func TestMatch(t *testing.T) {
	for _, c := range []struct {
		pattern, value string
		want           bool
	}{
		{"arn:aws:dynamodb:us-east-1:1:table/A", "arn:aws:dynamodb:us-east-1:1:table/A", true},
		{"arn:aws:dynamodb:us-east-1:1:table/A", "arn:aws:dynamodb:us-east-1:1:table/AB", false},
		{"arn:aws:dynamodb:us-east-1:1:table/A/index/*", "arn:aws:dynamodb:us-east-1:1:table/A/index/by_due", true},
		{"arn:aws:dynamodb:us-east-1:1:table/A/index/*", "arn:aws:dynamodb:us-east-1:1:table/A", false},
		{"arn:aws:dynamodb:*:*:table/A*", "arn:aws:dynamodb:us-east-1:1:table/Apps", true},
		{"*", "arn:aws:sqs:us-east-1:1:q", true},
		{"*", "*", true},
		{"arn:aws:sqs:*", "*", false}, // a request that names no resource needs "*"
		{"arn:aws:sqs:us-east-1:1:q?", "arn:aws:sqs:us-east-1:1:q1", true},
		{"arn:aws:sqs:us-east-1:1:q?", "arn:aws:sqs:us-east-1:1:q", false},
		{"a*b*c", "aXXbYYc", true},
		{"a*b*c", "aXXbYY", false},
		{"**", "", true},
		{"", "x", false},
	} {
		if got := Match(c.pattern, c.value); got != c.want {
			t.Errorf("Match(%q, %q) = %v, want %v", c.pattern, c.value, got, c.want)
		}
	}
}

const table = "arn:aws:dynamodb:us-east-1:123456789012:table/"

func statements(t *testing.T, doc string) []Statement {
	t.Helper()
	s, err := ParsePolicy("p", doc)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestEvaluate(t *testing.T) {
	read := statements(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Action":["dynamodb:GetItem","dynamodb:Query","dynamodb:DescribeTable"],
		"Resource":["`+table+`W","`+table+`W/index/*"]}]}`)
	crud := statements(t, `{"Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"`+table+`D"}}`)
	deny := statements(t, `{"Statement":[{"Effect":"Allow","Action":"sqs:*","Resource":"*"},
		{"Effect":"Deny","Action":"sqs:DeleteQueue","Resource":"*"}]}`)
	notAction := statements(t, `{"Statement":[{"Effect":"Allow","NotAction":"kms:*","Resource":"*"}]}`)
	conditional := statements(t, `{"Statement":[{"Effect":"Allow","Action":"sns:Publish","Resource":"*",
		"Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}`)
	for _, c := range []struct {
		name     string
		sts      []Statement
		action   string
		resource string
		want     Decision
	}{
		{"read allows GetItem on its table", read, "dynamodb:GetItem", table + "W", Allow},
		{"read allows Query on its index", read, "dynamodb:Query", table + "W/index/by_x", Allow},
		{"read does not allow UpdateItem", read, "dynamodb:UpdateItem", table + "W", ImplicitDeny},
		{"read does not reach another table", read, "dynamodb:GetItem", table + "Other", ImplicitDeny},
		{"actions match case-insensitively", read, "DynamoDB:getitem", table + "W", Allow},
		{"resources match case-sensitively", read, "dynamodb:GetItem", table + "w", ImplicitDeny},
		{"service wildcard", crud, "dynamodb:UpdateItem", table + "D", Allow},
		{"service wildcard, not its index", crud, "dynamodb:Query", table + "D/index/i", ImplicitDeny},
		{"explicit deny wins", deny, "sqs:DeleteQueue", "arn:aws:sqs:us-east-1:1:q", ExplicitDeny},
		{"allow beside a deny", deny, "sqs:SendMessage", "arn:aws:sqs:us-east-1:1:q", Allow},
		{"NotAction allows the rest", notAction, "sqs:SendMessage", "arn:aws:sqs:us-east-1:1:q", Allow},
		{"NotAction excludes", notAction, "kms:Decrypt", "arn:aws:kms:us-east-1:1:key/k", ImplicitDeny},
		{"a condition is not evaluated: no allow", conditional, "sns:Publish", "arn:aws:sns:us-east-1:1:t", ImplicitDeny},
		{"no statements", nil, "sns:Publish", "arn:aws:sns:us-east-1:1:t", ImplicitDeny},
	} {
		if got := Evaluate(c.sts, c.action, c.resource); got != c.want {
			t.Errorf("%s: Evaluate(%s, %s) = %v, want %v", c.name, c.action, c.resource, got, c.want)
		}
	}
}

func TestParsePolicyTakesURLEncodedDocuments(t *testing.T) {
	s, err := ParsePolicy("enc", "%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3A%2A%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D")
	if err != nil || len(s) != 1 || s[0].Action[0] != "s3:*" || s[0].Policy != "enc" {
		t.Fatalf("%+v %v", s, err)
	}
	if _, err := ParsePolicy("bad", `{"Statement":[{"Action":3}]}`); err == nil {
		t.Error("a number as Action parsed")
	}
}
