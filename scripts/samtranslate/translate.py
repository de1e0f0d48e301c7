#!/usr/bin/env python3
"""Translate Herald's SAM template into the CloudFormation template moto can create.

Usage: translate.py TEMPLATE [Name=Value ...] > out.json

Prints one JSON object:
  Template   the translated template (aws-sam-translator, the same library `sam
             deploy` and cfn-lint use), less what moto cannot create;
  Pruned     the resources taken out, by logical id ({Type, Properties}), so the
             caller can do by hand what matters of them (an SNS subscription,
             an event source mapping's batch size and response types);
  ManagedPolicyArns  each IAM role's managed policies by logical id, which moto's
             CloudFormation ignores.

Taken out: every resource type moto's CloudFormation has no model for, and
these, which moto would create wrongly or act on: Lambda event source mappings
(moto would invoke the functions itself on every SQS send; the test plays the
mapping), Function URLs, SNS subscriptions, queue policies, schedules and
alarms. A Ref, GetAtt or Sub naming a pruned resource becomes the string
"pruned:<LogicalId>[.<Attribute>]"; DependsOn on one is dropped.

The code of every function becomes an inline placeholder: the test runs the
real bootstrap itself, moto never does.
"""

import json
import os
import re
import sys

os.environ.setdefault("AWS_DEFAULT_REGION", os.environ.get("AWS_REGION", "us-east-1"))

from samtranslator.model.exceptions import InvalidDocumentException  # noqa: E402
from samtranslator.translator.translator import Translator  # noqa: E402
from samtranslator.parser.parser import Parser  # noqa: E402
from samtranslator.yaml_helper import yaml_parse  # noqa: E402

ALWAYS_PRUNED = {
    "AWS::Lambda::EventSourceMapping",
    "AWS::Lambda::Url",
    "AWS::SNS::Subscription",
    "AWS::SQS::QueuePolicy",
    "AWS::Scheduler::Schedule",
    "AWS::Scheduler::ScheduleGroup",
    "AWS::Events::Rule",
    "AWS::CloudWatch::Alarm",
}

# AWS managed policies a template may name without an ARN.
MANAGED = [
    "AWSLambdaBasicExecutionRole",
    "AWSLambdaSQSQueueExecutionRole",
    "AWSXRayDaemonWriteAccess",
    "AWSLambdaVPCAccessExecutionRole",
]


def moto_supports(typ):
    try:
        from moto.cloudformation.parsing import resource_class_from_type
    except ImportError:
        return True
    import logging

    logging.getLogger("moto").setLevel(logging.ERROR)
    return resource_class_from_type(typ) is not None


def replace_refs(node, pruned):
    if isinstance(node, list):
        return [replace_refs(v, pruned) for v in node]
    if not isinstance(node, dict):
        return node
    if len(node) == 1:
        (k, v), = node.items()
        if k == "Ref" and isinstance(v, str) and v in pruned:
            return "pruned:" + v
        if k == "Fn::GetAtt":
            parts = v.split(".", 1) if isinstance(v, str) else v
            if isinstance(parts, list) and parts and parts[0] in pruned:
                return "pruned:" + ".".join(str(p) for p in parts)
        if k == "Fn::Sub":
            def sub(s):
                return re.sub(r"\$\{([A-Za-z0-9]+)(\.[A-Za-z0-9.]+)?\}",
                              lambda m: "pruned:" + m.group(1) + (m.group(2) or "")
                              if m.group(1) in pruned else m.group(0), s)
            if isinstance(v, str):
                return {"Fn::Sub": sub(v)}
            if isinstance(v, list) and v:
                return {"Fn::Sub": [sub(v[0])] + [replace_refs(x, pruned) for x in v[1:]]}
    return {k: replace_refs(v, pruned) for k, v in node.items()}


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    with open(argv[1]) as f:
        sam = yaml_parse(f.read())
    params = dict(a.split("=", 1) for a in argv[2:])
    # Local code: the translator wants an S3 location; moto never runs it.
    sam.setdefault("Globals", {}).setdefault("Function", {})["CodeUri"] = "s3://herald-emulator/bootstrap.zip"
    for r in sam.get("Resources", {}).values():
        if r.get("Type") == "AWS::Serverless::Function" and "CodeUri" in r.get("Properties", {}):
            r["Properties"]["CodeUri"] = "s3://herald-emulator/bootstrap.zip"
    policies = {n: "arn:aws:iam::aws:policy/" + ("service-role/" if n.startswith("AWSLambda") else "") + n
                for n in MANAGED}
    try:
        cfn = Translator(policies, Parser()).translate(sam, parameter_values=params)
    except InvalidDocumentException as e:
        sys.exit("translate: " + "; ".join(c.message for c in e.causes))

    resources = cfn["Resources"]
    pruned = {}
    for lid, r in list(resources.items()):
        if r["Type"] in ALWAYS_PRUNED or not moto_supports(r["Type"]):
            pruned[lid] = {"Type": r["Type"], "Properties": r.get("Properties", {})}
            del resources[lid]
    managed = {}
    for lid, r in resources.items():
        props = r.get("Properties", {})
        if r["Type"] == "AWS::Lambda::Function":
            props["Code"] = {"ZipFile": "bootstrap"}
        if r["Type"] == "AWS::IAM::Role" and props.get("ManagedPolicyArns"):
            managed[lid] = props["ManagedPolicyArns"]
        dep = r.get("DependsOn")
        if dep is not None:
            dep = [d for d in ([dep] if isinstance(dep, str) else dep) if d not in pruned]
            if dep:
                r["DependsOn"] = dep
            else:
                del r["DependsOn"]
    cfn = replace_refs(cfn, set(pruned))
    json.dump({"Template": cfn, "Pruned": replace_refs(pruned, set(pruned)),
               "ManagedPolicyArns": replace_refs(managed, set(pruned))}, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv)
