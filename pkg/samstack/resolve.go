package samstack

import (
	"fmt"
	"regexp"
	"strings"
)

// resource is a created resource of the stack.
type resource struct {
	Type, Physical string
}

// resolver evaluates the intrinsics of a pruned resource's properties
// against the created stack.
type resolver struct {
	region, account, stack string
	resources              map[string]resource
	params                 map[string]string
}

// ref is what Ref of a logical id gives.
func (r *resolver) ref(id string) (string, error) {
	switch id {
	case "AWS::Region":
		return r.region, nil
	case "AWS::AccountId":
		return r.account, nil
	case "AWS::Partition":
		return "aws", nil
	case "AWS::URLSuffix":
		return "amazonaws.com", nil
	case "AWS::StackName":
		return r.stack, nil
	}
	if v, ok := r.params[id]; ok {
		return v, nil
	}
	res, ok := r.resources[id]
	if !ok {
		return "", fmt.Errorf("ref %s: not in the stack", id)
	}
	return res.Physical, nil
}

// getAtt is what Fn::GetAtt gives, for the attributes Herald's template
// uses.
func (r *resolver) getAtt(id, attr string) (string, error) {
	res, ok := r.resources[id]
	if !ok {
		return "", fmt.Errorf("GetAtt %s.%s: not in the stack", id, attr)
	}
	last := res.Physical[strings.LastIndexAny(res.Physical, "/:")+1:]
	switch res.Type + "." + attr {
	case "AWS::SQS::Queue.Arn":
		return "arn:aws:sqs:" + r.region + ":" + r.account + ":" + last, nil
	case "AWS::SQS::Queue.QueueName":
		return last, nil
	case "AWS::SQS::Queue.QueueUrl", "AWS::SNS::Topic.TopicArn", "AWS::SecretsManager::Secret.Id":
		return res.Physical, nil
	case "AWS::SNS::Topic.TopicName":
		return last, nil
	case "AWS::DynamoDB::Table.Arn":
		return "arn:aws:dynamodb:" + r.region + ":" + r.account + ":table/" + res.Physical, nil
	case "AWS::KMS::Key.Arn":
		return "arn:aws:kms:" + r.region + ":" + r.account + ":key/" + res.Physical, nil
	case "AWS::KMS::Key.KeyId":
		return res.Physical, nil
	case "AWS::Lambda::Function.Arn":
		return "arn:aws:lambda:" + r.region + ":" + r.account + ":function:" + res.Physical, nil
	case "AWS::IAM::Role.Arn":
		return "arn:aws:iam::" + r.account + ":role/" + res.Physical, nil
	}
	return "", fmt.Errorf("GetAtt %s.%s (%s): not known here", id, attr, res.Type)
}

var subVar = regexp.MustCompile(`\$\{([^}]+)\}`)

// eval evaluates v: a string, or Ref, Fn::GetAtt, Fn::Sub or Fn::Join.
func (r *resolver) eval(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case float64, bool, int:
		return fmt.Sprint(x), nil
	case map[string]any:
		if len(x) != 1 {
			break
		}
		for k, arg := range x {
			switch k {
			case "Ref":
				s, _ := arg.(string)
				return r.ref(s)
			case "Fn::GetAtt":
				var parts []string
				switch a := arg.(type) {
				case string:
					parts = strings.SplitN(a, ".", 2)
				case []any:
					for _, p := range a {
						s, _ := p.(string)
						parts = append(parts, s)
					}
				}
				if len(parts) != 2 {
					return "", fmt.Errorf("GetAtt %v: want Resource.Attribute", arg)
				}
				return r.getAtt(parts[0], parts[1])
			case "Fn::Sub":
				return r.sub(arg)
			case "Fn::Join":
				a, _ := arg.([]any)
				if len(a) != 2 {
					return "", fmt.Errorf("Fn::Join %v", arg)
				}
				sep, _ := a[0].(string)
				list, _ := a[1].([]any)
				var out []string
				for _, e := range list {
					s, err := r.eval(e)
					if err != nil {
						return "", err
					}
					out = append(out, s)
				}
				return strings.Join(out, sep), nil
			}
		}
	}
	return "", fmt.Errorf("cannot evaluate %v", v)
}

func (r *resolver) sub(arg any) (string, error) {
	var tmpl string
	vars := map[string]any{}
	switch a := arg.(type) {
	case string:
		tmpl = a
	case []any:
		if len(a) > 0 {
			tmpl, _ = a[0].(string)
		}
		if len(a) > 1 {
			vars, _ = a[1].(map[string]any)
		}
	}
	var err error
	out := subVar.ReplaceAllStringFunc(tmpl, func(m string) string {
		name := m[2 : len(m)-1]
		var s string
		var e error
		switch {
		case vars[name] != nil:
			s, e = r.eval(vars[name])
		case strings.Contains(name, ".") && !strings.HasPrefix(name, "AWS::"):
			id, attr, _ := strings.Cut(name, ".")
			s, e = r.getAtt(id, attr)
		default:
			s, e = r.ref(name)
		}
		if e != nil && err == nil {
			err = e
		}
		return s
	})
	return out, err
}
