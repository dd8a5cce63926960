"""Validates every example of a served OpenAPI document against its schema.

Usage: check_examples.py URL-of-openapi.json. Walks each operation's request body and responses,
and each component schema's own `example`, and fails (exit 1) on the first example its schema
rejects, naming where it is. Runs in the Schemathesis venv (jsonschema-rs is one of its pinned
dependencies), after Schemathesis.
"""

import json
import sys
import urllib.request

import jsonschema_rs


def main(url: str) -> int:
    with urllib.request.urlopen(url) as response:
        document = json.load(response)

    def validator(schema):
        # The components travel with each schema so `$ref`s resolve.
        return jsonschema_rs.Draft202012Validator(
            {**schema, "components": document.get("components", {})}
        )

    checked, failures = 0, []

    def check(where, schema, example):
        nonlocal checked
        if schema is None:
            return
        checked += 1
        errors = [error.message for error in validator(schema).iter_errors(example)]
        if errors:
            failures.append(f"{where}: {errors[:3]}")

    for path, item in document["paths"].items():
        for method, operation in item.items():
            body = (operation.get("requestBody") or {}).get("content", {})
            for media_type, content in body.items():
                if "example" in content and media_type.endswith("json"):
                    check(f"{method} {path} request {media_type}", content.get("schema"), content["example"])
            for status, response in operation.get("responses", {}).items():
                for media_type, content in (response.get("content") or {}).items():
                    if "example" in content:
                        check(f"{method} {path} {status} {media_type}", content.get("schema"), content["example"])
    for name, schema in document.get("components", {}).get("schemas", {}).items():
        if "example" in schema:
            check(f"components.schemas.{name}", schema, schema["example"])

    for failure in failures:
        print(f"example off its schema: {failure}", file=sys.stderr)
    print(f"examples checked against their schemas: {checked}, off their schema: {len(failures)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
