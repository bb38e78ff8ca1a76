"""Read YAML safely, in bounded time and memory, keeping the line of every key and item.

The text is parsed by libyaml (PyYAML's C parser, ``CSafeLoader``; PyYAML's own pure
Python parser where libyaml is missing) into events, and this module builds plain data
from them in one pass without recursion, alongside ``lines[path] = line`` (1-based) so
that any error can name the line of the field it is about. Nothing that constructs
objects is ever built: only mappings, lists, text, numbers, true/false, null and dates,
so a scenario can never execute code.

Every malformed input is refused with its line, never a Python error:

* characters YAML does not allow (NUL, other control characters, lone surrogates);
* text that is not UTF-8 (the line of the first bad byte, not a byte offset);
* nesting deeper than :data:`MAX_DEPTH` levels;
* an alias used inside its own anchor (a recursive alias);
* aliases that expand past :data:`ALIAS_NODE_BUDGET` nodes in all (the "billion
  laughs": 362 bytes that would expand to a billion nodes);
* impossible dates (2021-02-30, 2022-13-01), integers of more than 4,300 digits,
  ``!!int``/``!!float`` tags on text that is not such a number, tags other than the
  plain YAML ones.

There is no size limit here: a file of any size is read in time linear in its size
(the dashboard limits what it accepts itself, :data:`a6sim.dashboard.bundled.MAX_UPLOAD_BYTES`).
The cyclic garbage collector is paused while loading: the data makes no cycles, and
each collection would scan all that was built so far.
"""
from __future__ import annotations

import copy
import gc
import os
import re
import stat
from contextlib import contextmanager
from pathlib import Path

import yaml

from .errors import Issue, ScenarioError

__all__ = ["read_yaml", "parse_yaml", "not_a_file", "line_of", "MAX_DEPTH", "ALIAS_NODE_BUDGET", "LOADER"]

MAX_DEPTH = 64
"""Deepest nesting of mappings and lists accepted (a scenario needs about six)."""

ALIAS_NODE_BUDGET = 100_000
"""Most nodes that aliases may add in all to a file, counting each use in full."""

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""The parser: libyaml's where PyYAML was built with it."""

# What YAML 1.1/1.2 allows in a stream (YAML 1.2 spec, 5.1: c-printable).
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_SCALAR_TAGS = {"tag:yaml.org,2002:" + t for t in ("null", "bool", "int", "float", "str", "timestamp")}
_WHAT = {"int": "a whole number", "float": "a number", "timestamp": "a date like 2022-06-01",
         "bool": "true or false", "null": "null"}
_KEY_TYPES = (str, int, float, bool, type(None))
_BAD_KEY = object()


@contextmanager
def paused_gc():
    """Pause the cyclic garbage collector while plain data is built (it makes no cycles)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()    # what was built goes to the oldest generation unscanned
        gc.unfreeze()
        if enabled:
            gc.enable()


def not_a_file(path: str | Path) -> str:
    """Why ``path`` cannot be read as a file ("" if it can): a device (/dev/zero would be
    read for ever) or a socket. A pipe is read (``<(...)`` in a shell); a missing file is
    left to the reader's own message."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return ""
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a file"
    if stat.S_ISSOCK(mode):
        return "a socket, not a file"
    return ""


def read_yaml(path: str | Path) -> tuple[object, dict[tuple, int]]:
    """Read a YAML file; return ``(data, lines)``. Raises :class:`ScenarioError`."""
    name = str(path)
    device = not_a_file(path)
    if device:
        raise ScenarioError([Issue(name, None, (), device)])
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ScenarioError([Issue(name, None, (), f"cannot read file: {exc.strerror or exc}")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ScenarioError([Issue(name, line, (), f"not UTF-8 text: byte 0x{raw[exc.start]:02x} at column "
                                                   f"{column} (save the file as UTF-8)")]) from None
    del raw
    return parse_yaml(text, name)


def _tab_hint(text: str, mark) -> str | None:
    """What to do when the parser stopped at a tab that indents a line (an editor's Tab key;
    libyaml says only "found character that cannot start any token"), else None."""
    if mark is None:
        return None
    lines = text.split("\n", mark.line + 1)
    if mark.line >= len(lines):
        return None
    row = lines[mark.line]
    indent = row[:len(row) - len(row.lstrip(" \t"))]
    if "\t" not in indent and row[mark.column:mark.column + 1] != "\t":
        return None
    column = (row.index("\t") if "\t" in indent else mark.column) + 1
    return f"a tab at column {column}: YAML indents with spaces only; replace the tab with spaces"


def parse_yaml(text: str, name: str = "<scenario>") -> tuple[object, dict[tuple, int]]:
    """Parse YAML text; return ``(data, lines)``. Raises :class:`ScenarioError`."""
    if text.startswith("\ufeff"):
        text = text[1:]
    bad = _NOT_PRINTABLE.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        code = ord(bad.group())
        raise ScenarioError([Issue(name, line, (), f"character U+{code:04X} is not allowed in YAML "
                                                   "(control characters, NUL and lone surrogates are refused)")])
    loader = LOADER(text)
    try:
        with paused_gc():
            return _Builder(loader, name).build()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = _tab_hint(text, mark) or exc.problem or exc.context or "invalid YAML"
        raise ScenarioError([Issue(name, line, (), f"invalid YAML: {what}")]) from None
    except yaml.YAMLError as exc:   # pure Python reader only (libyaml's errors are marked)
        raise ScenarioError([Issue(name, None, (), f"invalid YAML: {exc}")]) from None
    finally:
        loader.dispose()


class _Frame:
    """A mapping or list being built."""
    __slots__ = ("value", "path", "anchor", "size", "height", "key", "key_line", "merges", "is_key", "line")

    def __init__(self, value, path, anchor, line, is_key=False):
        self.value, self.path, self.anchor, self.line = value, path, anchor, line
        self.size = 1            # nodes in this subtree, aliases counted in full
        self.height = 1          # levels of nesting in this subtree, itself included
        self.key = None          # a mapping waiting for the value of this key (None: for a key)
        self.key_line = None
        self.merges = None       # mappings merged in with '<<'
        self.is_key = is_key     # a mapping or list written as a key: refused when done


class _Builder:
    """Plain data and lines from the loader's events, without recursion."""

    def __init__(self, loader, name):
        self.loader, self.name = loader, name
        self.lines: dict[tuple, int] = {}
        self.issues: list[Issue] = []
        self.anchors: dict[str, tuple[object, int, int]] = {}   # name -> (value, size, height)
        self.open_anchors: set[str] = set()
        self.aliased = 0
        self.resolved: dict[str, str] = {}   # plain scalar -> its implicit tag (keys repeat a lot)

    def fail(self, line, path, message):
        raise ScenarioError(self.issues + [Issue(self.name, line, path, message)])

    def build(self):
        loader = self.loader
        loader.get_event()                      # stream start
        if loader.check_event(yaml.StreamEndEvent):
            self.fail(1, (), "the file is empty; expected a mapping starting with 'a6sim: 1'")
        loader.get_event()                      # document start
        data = self._document()
        loader.get_event()                      # document end
        if not loader.check_event(yaml.StreamEndEvent):
            event = loader.get_event()
            self.fail(event.start_mark.line + 1, (), "expected a single document in the file (found a second '---')")
        if self.issues:
            raise ScenarioError(self.issues)
        return data, self.lines

    # --- one document ---------------------------------------------------------
    def _document(self):
        loader, lines = self.loader, self.lines
        stack: list[_Frame] = []
        result = None
        while True:
            event = loader.get_event()
            line = event.start_mark.line + 1
            parent = stack[-1] if stack else None
            path = self._child_path(parent)
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                is_map = isinstance(event, yaml.MappingStartEvent)
                if event.tag not in (None, "!", _MAP if is_map else _SEQ):
                    self.fail(line, path if path is not None else (), f"invalid YAML: tag {event.tag!r} is not allowed")
                if len(stack) >= MAX_DEPTH:
                    self.fail(line, path[:3], f"nesting deeper than {MAX_DEPTH} levels is not allowed")
                is_key = parent is not None and path is None
                frame = _Frame({} if is_map else [], parent.path if is_key else path, event.anchor, line, is_key)
                if not is_key:
                    lines.setdefault(path, line)
                if event.anchor is not None:
                    self.open_anchors.add(event.anchor)
                stack.append(frame)
                continue
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                frame = stack.pop()
                if frame.merges:
                    self._merge(frame)
                if frame.anchor is not None:
                    self.open_anchors.discard(frame.anchor)
                    self.anchors[frame.anchor] = (frame.value, frame.size, frame.height)
                value, size = frame.value, frame.size
                if frame.is_key:
                    self.issues.append(Issue(self.name, frame.line, frame.path, "keys must be plain words or numbers"))
                    value = _BAD_KEY
                if not stack:
                    return value
                stack[-1].height = max(stack[-1].height, frame.height + 1)
                self._add(stack[-1], value, size, frame.line)
                continue
            if isinstance(event, yaml.ScalarEvent):
                value, is_merge = self._scalar(event, line, path if path is not None else parent.path)
                if event.anchor is not None:
                    self.anchors[event.anchor] = (value, 1, 0)
                if parent is None:
                    lines[()] = line
                    return value
                if is_merge and path is None:
                    parent.key, parent.key_line = _MERGE, line
                    continue
                self._add(parent, value, 1, line)
                continue
            if isinstance(event, yaml.AliasEvent):
                value, size, height = self._alias(event, line, path if path is not None else parent.path,
                                                  len(stack))
                if parent is None:
                    return value
                parent.height = max(parent.height, height + 1)
                self._add(parent, value, size, line)
                continue
            raise yaml.composer.ComposerError(None, None, f"unexpected {type(event).__name__}", event.start_mark)

    @staticmethod
    def _child_path(parent):
        """Where the next node goes; None for a mapping's key."""
        if parent is None:
            return ()
        if isinstance(parent.value, list):
            return parent.path + (len(parent.value),)
        if parent.key is None:
            return None
        if parent.key is _MERGE or parent.key is _BAD_KEY:
            return parent.path
        return parent.path + (parent.key,)

    def _add(self, frame, value, size, line):
        frame.size += size
        container = frame.value
        if isinstance(container, list):
            self.lines[frame.path + (len(container),)] = line
            container.append(value)
            return
        if frame.key is None:                     # this is a key
            if value is not _BAD_KEY and not isinstance(value, _KEY_TYPES):
                self.issues.append(Issue(self.name, line, frame.path, "keys must be plain words or numbers"))
                value = _BAD_KEY
            elif value is not _BAD_KEY and value in container:
                self.issues.append(Issue(self.name, line, frame.path + (value,),
                                         "duplicate key (each key may appear once)"))
                value = _BAD_KEY
            frame.key, frame.key_line = value, line
            if value is not _BAD_KEY:
                self.lines[frame.path + (value,)] = line
            return
        key = frame.key
        frame.key = None
        if key is _MERGE:
            merged = value if isinstance(value, list) else [value]
            if not all(isinstance(m, dict) for m in merged):
                self.issues.append(Issue(self.name, frame.key_line, frame.path,
                                         "'<<' merges a mapping or a list of mappings"))
                return
            frame.merges = (frame.merges or []) + merged
            return
        if key is _BAD_KEY:
            return
        container[key] = value
        self.lines[frame.path + (key,)] = frame.key_line

    def _merge(self, frame):
        """YAML merge keys: keys of the merged mappings that the mapping does not set itself."""
        for merged in frame.merges:
            for key, value in merged.items():
                if key not in frame.value:
                    frame.value[key] = copy.deepcopy(value)
                    self.lines.setdefault(frame.path + (key,), frame.line)

    def _alias(self, event, line, path, depth):
        name = event.anchor
        if name in self.open_anchors:
            self.fail(line, path, f"alias *{name} is used inside its own anchor &{name} (a recursive alias)")
        if name not in self.anchors:
            self.fail(line, path, f"alias *{name} names no anchor defined before it")
        value, size, height = self.anchors[name]
        if depth + height > MAX_DEPTH:
            self.fail(line, path[:3], f"alias *{name} nests deeper than {MAX_DEPTH} levels, which is not allowed")
        self.aliased += size
        if self.aliased > ALIAS_NODE_BUDGET:
            self.fail(line, path, f"aliases expand to more than {ALIAS_NODE_BUDGET:,} nodes in all "
                                  "(an alias bomb?); write the values out")
        return (copy.deepcopy(value) if isinstance(value, (dict, list)) else value), size, height

    def _scalar(self, event, line, path):
        """The value of a scalar and whether it is a merge key ``<<``."""
        tag, value = event.tag, event.value
        if tag is None or tag == "!":
            if not event.implicit[0]:           # quoted: text
                return value, False
            tag = self.resolved.get(value)
            if tag is None:
                tag = self.loader.resolve(yaml.ScalarNode, value, event.implicit)
                if len(value) <= 24 and len(self.resolved) < 100_000:
                    self.resolved[value] = tag
            if tag == _MERGE:
                return None, True
        if tag == _STR:
            return value, False
        if tag not in _SCALAR_TAGS:
            self.fail(line, path, f"invalid YAML: tag {tag!r} is not allowed")
        node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
        try:
            return self.loader.yaml_constructors[tag](self.loader, node), False
        except (ValueError, TypeError, OverflowError, yaml.YAMLError) as exc:
            kind = tag.rsplit(":", 1)[-1]
            shown = value if len(value) <= 40 else value[:37] + "..."
            reason = str(exc).split("\n")[0]
            if "Exceeds the limit" in reason:
                reason = "more than 4,300 digits"
            self.issues.append(Issue(self.name, line, path, f"expected {_WHAT.get(kind, kind)}, got {shown!r} ({reason})"))
            return None, False


def line_of(lines: dict[tuple, int], path: tuple) -> int | None:
    """The line of ``path``, or of its nearest ancestor that has one."""
    path = tuple(path)
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get(())
