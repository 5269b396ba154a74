"""Reading the YAML files of flows, prompts and settings: a key written twice is an error, yes/no are words."""

from __future__ import annotations

import re
from pathlib import Path

import yaml


class FlowError(ValueError):
    """A flow file is broken; the message names the file and the step."""


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that refuses a key written twice (YAML itself keeps the last silently)."""


def _unique_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    keys = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in keys:
            raise FlowError(f"line {key_node.start_mark.line + 1}: '{key}' is written twice")
        keys.add(key)
    return loader.construct_mapping(node, deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)
# YAML 1.1 reads yes, no, on and off as booleans; in flows they are words. Only true/false are.
_UniqueKeyLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_UniqueKeyLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def label(path: Path) -> str:
    """A file as an error names it, with its folder: 'flows/referral.yaml'."""
    return f"{path.parent.name}/{path.name}" if path.parent.name else path.name


def read_yaml(path: Path) -> dict:
    """Read a YAML mapping, naming the file in any error."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except OSError as error:
        raise FlowError(f"{label(path)}: cannot be read ({error.strerror or error})") from None
    except yaml.MarkedYAMLError as error:  # its own message runs over several lines, quoting the line
        where = f"line {error.problem_mark.line + 1}: " if error.problem_mark else ""
        raise FlowError(f"{label(path)}: {where}{error.problem or error.context}") from None
    except (yaml.YAMLError, FlowError) as error:
        raise FlowError(f"{label(path)}: {' '.join(str(error).split())}") from None
    if not isinstance(data, dict):
        raise FlowError(f"{label(path)}: expected a mapping at the top")
    return data
