"""Transform template.yaml into plain CloudFormation with aws-sam-translator.

usage: python3 transform.py TEMPLATE CODE_URI [NAME=VALUE ...]

CODE_URI (s3://bucket/key) stands in for every function's CodeUri, as
`sam package` would after uploading the built code. The NAME=VALUE pairs are
the stack's parameter values. The transformed template is printed as JSON.
Exit status 3 means aws-sam-translator is not installed.
"""

import json
import sys

try:
    from samtranslator.model.exceptions import InvalidDocumentException
    from samtranslator.translator.transform import transform
    from samtranslator.yaml_helper import yaml_parse
except ImportError as e:
    print(f"aws-sam-translator is not installed: {e}", file=sys.stderr)
    sys.exit(3)


class NoManagedPolicies:
    """The template names no AWS managed policy, so nothing is looked up."""

    def load(self):
        return {}


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    path, code_uri = argv[1], argv[2]
    params = dict(arg.split("=", 1) for arg in argv[3:])
    with open(path, encoding="utf-8") as f:
        template = yaml_parse(f.read())
    for resource in template.get("Resources", {}).values():
        if resource.get("Type") == "AWS::Serverless::Function":
            resource["Properties"]["CodeUri"] = code_uri
    try:
        out = transform(template, params, NoManagedPolicies())
    except InvalidDocumentException as e:
        for cause in e.causes:
            print(f"transform: {cause.message}", file=sys.stderr)
        return 1
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
