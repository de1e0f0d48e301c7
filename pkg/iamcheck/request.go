package iamcheck

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// Call is what one request asks: a service, the key it was signed with, and
// the (action, resource) pairs IAM authorizes it by.
type Call struct {
	AccessKey string
	Service   string // the SigV4 credential scope's service: dynamodb, sqs, sns, kms, …
	Operation string // the API operation: UpdateItem, SendMessage, …
	Checks    []Check
}

// Check is one action on one resource.
type Check struct {
	Action   string // service:Operation
	Resource string // an ARN, or "*"
}

// Scope is the region and account resources are named in.
type Scope struct {
	Region, Account string
	// Names maps a name that is not an ARN to the ARN of what it names, by
	// service: Names["secretsmanager"]["admin-token"] is the secret's ARN,
	// Names["kms"]["alias/x"] the key's ARN.
	Names map[string]map[string]string
}

// ParseRequest reads the call of an AWS API request with the given body. It
// returns nil when the request is not SigV4-signed with an Authorization
// header.
func ParseRequest(r *http.Request, body []byte, sc Scope) *Call {
	key, service := credential(r.Header.Get("Authorization"))
	if key == "" {
		return nil
	}
	c := &Call{AccessKey: key, Service: service}
	params := map[string]any{}
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		_, c.Operation, _ = strings.Cut(target, ".")
		_ = json.Unmarshal(body, &params)
	} else {
		form, _ := url.ParseQuery(string(body))
		if r.URL.RawQuery != "" {
			q, _ := url.ParseQuery(r.URL.RawQuery)
			for k, v := range q {
				form[k] = append(form[k], v...)
			}
		}
		c.Operation = form.Get("Action")
		for k := range form {
			params[k] = form.Get(k)
		}
	}
	action := service + ":" + iamAction(service, c.Operation)
	switch service {
	case "dynamodb":
		c.Checks = dynamoChecks(c.Operation, params, sc)
	default:
		for _, res := range resources(service, c.Operation, params, sc) {
			c.Checks = append(c.Checks, Check{Action: action, Resource: res})
		}
	}
	if len(c.Checks) == 0 {
		c.Checks = []Check{{Action: action, Resource: "*"}}
	}
	return c
}

// batchActions are operations IAM authorizes as another action: SQS's and
// SNS's batch operations need the permission of the single operation (there
// is no sqs:SendMessageBatch or sns:PublishBatch action).
var batchActions = map[string]string{
	"sqs:SendMessageBatch":             "SendMessage",
	"sqs:DeleteMessageBatch":           "DeleteMessage",
	"sqs:ChangeMessageVisibilityBatch": "ChangeMessageVisibility",
	"sns:PublishBatch":                 "Publish",
}

// iamAction is the IAM action (without the service prefix) that authorizes
// operation op of service.
func iamAction(service, op string) string {
	if a, ok := batchActions[service+":"+op]; ok {
		return a
	}
	return op
}

// credential reads the access key and service of a SigV4 Authorization
// header: "AWS4-HMAC-SHA256 Credential=KEY/DATE/REGION/SERVICE/aws4_request, …".
func credential(auth string) (key, service string) {
	_, rest, ok := strings.Cut(auth, "Credential=")
	if !ok {
		return "", ""
	}
	rest, _, _ = strings.Cut(rest, ",")
	parts := strings.Split(strings.TrimSpace(rest), "/")
	if len(parts) < 5 {
		return "", ""
	}
	return parts[0], parts[3]
}

func str(params map[string]any, k string) string {
	s, _ := params[k].(string)
	return s
}

func arn(service string, sc Scope, resource string) string {
	return "arn:aws:" + service + ":" + sc.Region + ":" + sc.Account + ":" + resource
}

// dynamoChecks: one check per table (and index) the request names; a
// transaction is authorized as the item actions it holds.
func dynamoChecks(op string, params map[string]any, sc Scope) []Check {
	table := func(name string) string {
		if strings.HasPrefix(name, "arn:") {
			return name
		}
		return arn("dynamodb", sc, "table/"+name)
	}
	var out []Check
	if t := str(params, "TableName"); t != "" {
		res := table(t)
		if idx := str(params, "IndexName"); idx != "" {
			res += "/index/" + idx
		}
		out = append(out, Check{"dynamodb:" + op, res})
	}
	if items, ok := params["RequestItems"].(map[string]any); ok {
		names := make([]string, 0, len(items))
		for t := range items {
			names = append(names, t)
		}
		sort.Strings(names)
		for _, t := range names {
			out = append(out, Check{"dynamodb:" + op, table(t)})
		}
	}
	if items, ok := params["TransactItems"].([]any); ok {
		ops := map[string]string{"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem",
			"ConditionCheck": "ConditionCheckItem", "Get": "GetItem"}
		for _, it := range items {
			m, _ := it.(map[string]any)
			for k, inner := range m {
				im, _ := inner.(map[string]any)
				if a, ok := ops[k]; ok {
					out = append(out, Check{"dynamodb:" + a, table(str(im, "TableName"))})
				}
			}
		}
	}
	return out
}

func resources(service, op string, params map[string]any, sc Scope) []string {
	named := func(name string) string {
		if strings.HasPrefix(name, "arn:") {
			return name
		}
		if a := sc.Names[service][name]; a != "" {
			return a
		}
		return ""
	}
	switch service {
	case "sqs":
		if u := str(params, "QueueUrl"); u != "" {
			p, err := url.Parse(u)
			if err == nil {
				segs := strings.Split(strings.Trim(p.Path, "/"), "/")
				if len(segs) == 2 {
					return []string{"arn:aws:sqs:" + sc.Region + ":" + segs[0] + ":" + segs[1]}
				}
			}
		}
		if n := str(params, "QueueName"); n != "" {
			return []string{arn("sqs", sc, n)}
		}
	case "sns":
		for _, k := range []string{"TopicArn", "TargetArn"} {
			if a := str(params, k); a != "" {
				return []string{a}
			}
		}
	case "kms":
		id := str(params, "KeyId")
		if id == "" && op == "Decrypt" {
			// moto's ciphertext blob starts with the 36-character key id.
			if b, err := base64.StdEncoding.DecodeString(str(params, "CiphertextBlob")); err == nil && len(b) > 36 {
				id = string(b[:36])
			}
		}
		switch {
		case id == "":
		case strings.HasPrefix(id, "arn:"):
			return []string{id}
		case strings.HasPrefix(id, "alias/"):
			if a := named(id); a != "" {
				return []string{a}
			}
			return []string{arn("kms", sc, id)}
		default:
			return []string{arn("kms", sc, "key/"+id)}
		}
	case "secretsmanager":
		if id := str(params, "SecretId"); id != "" {
			if a := named(id); a != "" {
				return []string{a}
			}
			// An unknown name: IAM would match the ARN with its random
			// suffix, which only the account knows.
			return []string{arn("secretsmanager", sc, "secret:"+id+"-??????")}
		}
	case "sts":
		if a := str(params, "RoleArn"); a != "" {
			return []string{a}
		}
	}
	return nil
}
