"""Read YAML safely, keeping the line of every key and item.

The safe loader builds plain data (no tags that construct objects, so a scenario can
never execute code); alongside it we keep ``lines[path] = line`` (1-based) so that any
error can name the line of the field it is about.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from .errors import Issue, ScenarioError

__all__ = ["read_yaml", "parse_yaml", "line_of"]

MAX_BYTES = 5_000_000


def read_yaml(path: str | Path) -> tuple[object, dict[tuple, int]]:
    """Read a YAML file; return ``(data, lines)``. Raises :class:`ScenarioError`."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ScenarioError([Issue(name, None, (), f"cannot read file: {exc.strerror or exc}")]) from None
    if len(raw) > MAX_BYTES:
        raise ScenarioError([Issue(name, None, (), f"file is larger than {MAX_BYTES // 1_000_000} MB")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError([Issue(name, None, (), f"not UTF-8 text (byte {exc.start})")]) from None
    return parse_yaml(text, name)


def parse_yaml(text: str, name: str = "<scenario>") -> tuple[object, dict[tuple, int]]:
    """Parse YAML text; return ``(data, lines)``. Raises :class:`ScenarioError`."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise ScenarioError([Issue(name, 1, (), "the file is empty; expected a mapping starting with 'a6sim: 1'")])
        lines: dict[tuple, int] = {}
        issues: list[Issue] = []
        data = _build(loader, node, (), lines, issues, name)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or exc.context or "invalid YAML"
        raise ScenarioError([Issue(name, line, (), f"invalid YAML: {what}")]) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([Issue(name, None, (), f"invalid YAML: {exc}")]) from None
    finally:
        loader.dispose()
    if issues:
        raise ScenarioError(issues)
    return data, lines


_PLAIN_TAGS = {yaml.MappingNode: "tag:yaml.org,2002:map", yaml.SequenceNode: "tag:yaml.org,2002:seq"}


def _build(loader, node, path, lines, issues, name):
    lines[path] = node.start_mark.line + 1
    plain = _PLAIN_TAGS.get(type(node))
    if plain is not None and node.tag != plain:
        raise yaml.constructor.ConstructorError(None, None, f"tag {node.tag!r} is not allowed", node.start_mark)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        out = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                issues.append(Issue(name, key_node.start_mark.line + 1, path, "keys must be plain words or numbers"))
                continue
            if key in out:
                issues.append(Issue(name, key_node.start_mark.line + 1, path + (key,),
                                    "duplicate key (each key may appear once)"))
                continue
            lines[path + (key,)] = key_node.start_mark.line + 1
            out[key] = _build(loader, value_node, path + (key,), lines, issues, name)
            lines[path + (key,)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, item, path + (i,), lines, issues, name) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def line_of(lines: dict[tuple, int], path: tuple) -> int | None:
    """The line of ``path``, or of its nearest ancestor that has one."""
    path = tuple(path)
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get(())
