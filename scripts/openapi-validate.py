#!/usr/bin/env python3
"""Validates docs/openapi.yaml as an OpenAPI 3.1 description (openapi-spec-validator), and
refuses YAML that silently loses data: a key given twice in one mapping (the later one would
win). Also checks that docs/openapi.yaml and the served copy are one file.

    python3 scripts/openapi-validate.py [FILE]

Needs PyYAML and openapi-spec-validator (pip install openapi-spec-validator).
"""

import os
import sys

import yaml
from openapi_spec_validator import OpenAPIV31SpecValidator

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
DOCS = os.path.join(ROOT, "docs", "openapi.yaml")
SERVED = os.path.join(ROOT, "Sources", "ConfabServer", "Resources", "openapi.yaml")


class StrictLoader(yaml.SafeLoader):
    def construct_mapping(self, node, deep=False):
        keys = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in keys:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark)
            keys.add(key)
        return super().construct_mapping(node, deep=deep)


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, StrictLoader.construct_mapping)


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else DOCS
    problems = []
    if len(sys.argv) == 1 and os.path.realpath(DOCS) != os.path.realpath(SERVED):
        problems.append("docs/openapi.yaml is not a link to Sources/ConfabServer/Resources/openapi.yaml")
    with open(path, encoding="utf-8") as file:
        document = yaml.load(file, Loader=StrictLoader)
    problems += [f"{'/'.join(map(str, error.path)) or '(root)'}: {error.message}"
                 for error in OpenAPIV31SpecValidator(document).iter_errors()]
    if document.get("openapi", "").split(".")[:2] != ["3", "1"]:
        problems.append(f"openapi is {document.get('openapi')!r}, not 3.1.x")
    def path_item(item):  # a path item, or the one its local $ref names
        if "$ref" not in item:
            return item
        node = document
        for token in item["$ref"].removeprefix("#/").split("/"):
            node = node[token.replace("~1", "/").replace("~0", "~")]
        return node

    operations = sum(1 for item in document["paths"].values() for method in path_item(item)
                     if method in ("get", "put", "post", "delete", "patch", "head", "options"))
    for problem in problems:
        print(f"openapi-validate: {problem}")
    if problems:
        sys.exit(1)
    print(f"openapi-validate: {os.path.relpath(path)} is a valid OpenAPI {document['openapi']} description "
          f"({len(document['paths'])} paths, {operations} operations)")


if __name__ == "__main__":
    main()
