"""Structure checks at the door: bounded YAML, one schema validator, exact positions.

Metadata (``MODEL.yaml``), expectations (``MODEL.expectations.yaml``) and the signet
annotation block inside SBML are read in two phases:

1. the text becomes plain data (dicts, lists, strings, numbers, ``None``) with the
   position of every value and key (:class:`Located`).  For YAML this is
   :func:`load_yaml`, which bounds the input (size, nesting depth, aliases counted at
   their expanded size, so a "billion laughs" bomb is refused before anything is
   expanded, integer length) and refuses duplicate keys, merge keys and tags other
   than YAML's own;
2. :func:`validate` checks the data against a JSON Schema shipped in
   ``signet/io/schemas/`` (shown in ``docs/formats.md``) and reports the first
   violation as ``file:line:column: where: expected ..., found ...`` from the parser's
   own marks.

After the door, readers trust the data's shape.  To add a field (for example a
``schedule`` string), add it to the schema file: the validator and the documentation
follow.

Examples
--------
>>> doc = load_yaml("model:\\n  treatment: {RT: high}\\n", source="m.yaml")
>>> validate(doc, "metadata")
Traceback (most recent call last):
...
signet.errors.ParseError: m.yaml:2:19: model.treatment.RT: expected 0 or 1, found 'high'
>>> load_yaml("a: 1\\na: 2\\n", source="d.yaml")
Traceback (most recent call last):
...
signet.errors.ParseError: d.yaml:2:1: duplicate key 'a' (first on line 1)
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Mapping

from ..errors import ParseError

__all__ = ["Located", "load_yaml", "validate", "schema", "yaml_error"]

#: A path into plain data: mapping keys (str) and list indices (int).
Path_ = tuple[Any, ...]

_SCHEMAS = Path(__file__).with_name("schemas")


@dataclass
class Located:
    """Plain data with the position (1-based line, column) of every value and key.

    Attributes
    ----------
    data
        The document as dicts, lists, str, int, float, bool and None.
    source
        File name for messages.
    values, keys
        Path -> (line, column) of the value at that path, and of its key in the
        enclosing mapping.
    label
        Turns a path into the words used in messages (default: ``model.treatment.RT``).
    """

    data: Any
    source: str | None = None
    values: dict[Path_, tuple[int, int | None]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int | None]] = field(default_factory=dict)
    label: Callable[[Path_], str] | None = None
    starts: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def inner_error(self, path: Path_, error: ParseError, prefix: str) -> ParseError:
        """``error``, raised on a text held in the string at ``path``, placed in the file.

        ``error.line``/``error.column`` count within the string; the string's first
        character is at ``starts[path]`` (after an opening quote).
        """
        line0, column0 = self.starts.get(path) or self.values.get(path) or (None, None)
        if line0 is None or error.line is None:
            return ParseError(f"{prefix}: {error.message}", source=self.source, line=line0)
        line = line0 + error.line - 1
        column = (column0 or 1) + (error.column or 1) - 1 if error.line == 1 else error.column
        return ParseError(f"{prefix}: {error.message}", source=self.source, line=line, column=column,
                          token=error.token)

    def where(self, path: Path_) -> str:
        """``path`` in words."""
        if self.label is not None:
            return self.label(path)
        return dotted(path)

    def error(self, path: Path_, message: str, *, key: bool = False) -> ParseError:
        """A :class:`ParseError` at the value (or key) at ``path``, or its nearest located parent."""
        table = self.keys if key else self.values
        probe = tuple(path)
        while probe and probe not in table and probe not in self.values:
            probe = probe[:-1]
        line, column = table.get(probe) or self.values.get(probe) or (None, None)
        return ParseError(message, source=self.source, line=line, column=column)

    def get(self, path: Path_, default: Any = None) -> Any:
        """The value at ``path`` (``default`` if a step is missing)."""
        value = self.data
        for step in path:
            try:
                value = value[step]
            except (KeyError, IndexError, TypeError):
                return default
        return value


def dotted(path: Path_) -> str:
    """``("model", "treatment", "RT")`` -> ``model.treatment.RT``; list items as ``[i]``.

    Examples
    --------
    >>> dotted(("nodes", "TP53", "drugs", 0, "action"))
    'nodes.TP53.drugs[0].action'
    """
    out = ""
    for step in path:
        if isinstance(step, int):
            out += f"[{step}]"
        else:
            out += ("." if out else "") + str(step)
    return out or "the document"


# ---------------------------------------------------------------------------
# Phase 1: bounded YAML -> located plain data
# ---------------------------------------------------------------------------


def yaml_error(exc: Exception, source: str | None) -> ParseError:
    """A PyYAML error as a :class:`~signet.errors.ParseError` with its line and column."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    if mark is None:
        return ParseError(f"invalid YAML: {problem}", source=source)
    return ParseError(f"invalid YAML: {problem}", source=source, line=mark.line + 1, column=mark.column + 1)


class _TooDeep(Exception):
    def __init__(self, mark: Any) -> None:
        self.mark = mark


def _loader_class() -> Any:
    import yaml

    class BoundedLoader(yaml.SafeLoader):
        """SafeLoader whose composer stops at a nesting depth (it is recursive)."""

        depth_limit = 64

        def compose_node(self, parent: Any, index: Any) -> Any:
            depth = getattr(self, "_depth", 0) + 1
            if depth > self.depth_limit:
                raise _TooDeep(self.peek_event().start_mark)
            self._depth = depth
            try:
                return super().compose_node(parent, index)
            finally:
                self._depth = depth - 1

    return BoundedLoader


_Loader: Any = None

_YAML = "tag:yaml.org,2002:"
_INT_DIGITS = re.compile(r"[0-9a-fA-FxXoObB]")


def _mark(node: Any) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _expanded_size(root: Any, limit: int, source: str | None) -> None:
    """Refuse a document whose values, with every alias expanded, exceed ``limit``
    (computed on the shared graph, without expanding), or that refers to itself."""
    import yaml

    size: dict[int, int] = {}
    active: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if isinstance(node, yaml.ScalarNode):
            size[key] = 1
            continue
        kids = [x for pair in node.value for x in pair] if isinstance(node, yaml.MappingNode) else node.value
        if done:
            active.discard(key)
            total = 1 + sum(size[id(k)] for k in kids)
            if total > limit:
                line, column = _mark(node)
                raise ParseError(
                    f"YAML document too large: more than {limit:,} values once aliases are expanded "
                    "(an alias bomb?)", source=source, line=line, column=column)
            size[key] = total
            continue
        if key in size:
            continue
        if key in active:
            line, column = _mark(node)
            raise ParseError("recursive YAML alias: a value contains itself", source=source, line=line, column=column)
        active.add(key)
        stack.append((node, True))
        for kid in kids:
            if id(kid) in active:
                line, column = _mark(kid)
                raise ParseError("recursive YAML alias: a value contains itself", source=source,
                                 line=line, column=column)
            if id(kid) not in size:
                stack.append((kid, False))


def load_yaml(text: str, *, source: str | None = None) -> Located:
    """Parse YAML ``text`` into :class:`Located` plain data, within :data:`signet.limits.LIMITS`.

    Raises
    ------
    ParseError
        Invalid YAML, a document over the size, depth or expanded-size limits, a
        recursive alias, a duplicate key, a merge key (``<<``), a key that is not
        text or a number, a tag YAML does not define (``!!python/...``), an integer
        longer than the limit; each with its line and column.
    """
    import yaml

    from .. import limits

    bounds = limits.LIMITS
    if len(text) > bounds.yaml_bytes:
        raise ParseError(f"YAML text has {len(text):,} characters; the limit is {bounds.yaml_bytes:,}",
                         source=source, line=1, column=1)
    global _Loader
    if _Loader is None:
        _Loader = _loader_class()
    loader = _Loader(text)
    loader.depth_limit = bounds.yaml_depth
    try:
        root = loader.get_single_node()
    except _TooDeep as exc:
        raise ParseError(f"YAML nested more than {bounds.yaml_depth} levels deep", source=source,
                         line=exc.mark.line + 1, column=exc.mark.column + 1) from None
    except yaml.YAMLError as exc:
        raise yaml_error(exc, source) from None
    finally:
        loader.dispose()
    located = Located(None, source)
    if root is None:
        return located
    _expanded_size(root, bounds.yaml_nodes, source)
    located.data = _plain(root, located, loader, bounds.integer_digits)
    return located


_SCALARS = ("str", "timestamp", "null", "bool", "int", "float")


def _kind_of(node: Any, allowed: tuple[str, ...], located: Located) -> str:
    """The YAML type of ``node`` if it is one of ``allowed``, else a located error naming the tag."""
    tag = node.tag
    kind = tag[len(_YAML):] if tag.startswith(_YAML) else None
    if kind not in allowed:
        shown = "!!" + tag[len(_YAML):] if kind is not None or tag.startswith(_YAML) else tag
        line, column = _mark(node)
        raise ParseError(f"unsupported YAML tag {shown!r}: signet reads plain YAML values only",
                         source=located.source, line=line, column=column)
    return kind


def _scalar(node: Any, loader: Any, digits: int, located: Located) -> Any:
    kind = _kind_of(node, _SCALARS, located)
    if kind == "str" or kind == "timestamp":
        return node.value
    if kind == "null":
        return None
    if kind == "bool":
        return loader.construct_yaml_bool(node)
    if kind == "int":
        if len(_INT_DIGITS.findall(node.value)) > digits:
            line, column = _mark(node)
            raise ParseError(f"integer with {len(node.value):,} characters: the limit is {digits} digits",
                             source=located.source, line=line, column=column)
        return loader.construct_yaml_int(node)
    if kind == "float":
        return loader.construct_yaml_float(node)
    raise AssertionError(kind)  # pragma: no cover - _kind_of admits only the kinds above


def _key(node: Any, loader: Any, digits: int, located: Located) -> str:
    import yaml

    line, column = _mark(node)
    if node.tag == _YAML + "merge":
        raise ParseError("YAML merge keys ('<<') are not supported: write the entries out",
                         source=located.source, line=line, column=column)
    value = _scalar(node, loader, digits, located) if isinstance(node, yaml.ScalarNode) else node
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        found = "a mapping" if isinstance(node, yaml.MappingNode) else "a list" \
            if isinstance(node, yaml.SequenceNode) else _found(value)
        raise ParseError(f"a key must be a name or a number, found {found}", source=located.source,
                         line=line, column=column)
    return str(value)


def _plain(root: Any, located: Located, loader: Any, digits: int) -> Any:
    """The node tree as plain data (iterative; aliases give equal, separately located values)."""
    import yaml

    out_root: list[Any] = [None]
    # (node, path, container, slot)
    stack: list[tuple[Any, Path_, Any, Any]] = [(root, (), out_root, 0)]
    while stack:
        node, path, container, slot = stack.pop()
        located.values.setdefault(path, _mark(node))
        if isinstance(node, yaml.ScalarNode):
            container[slot] = _scalar(node, loader, digits, located)
            line, column = _mark(node)
            located.starts[path] = (line, column + 1) if node.style in ('"', "'") else (line, column)
            continue
        _kind_of(node, ("seq",) if isinstance(node, yaml.SequenceNode) else ("map",), located)
        if isinstance(node, yaml.SequenceNode):
            items: list[Any] = [None] * len(node.value)
            container[slot] = items
            for i in range(len(node.value) - 1, -1, -1):
                stack.append((node.value[i], path + (i,), items, i))
            continue
        mapping: dict[str, Any] = {}
        container[slot] = mapping
        first: dict[str, int] = {}
        pending = []
        for key_node, value_node in node.value:
            key = _key(key_node, loader, digits, located)
            if key in first:
                line, column = _mark(key_node)
                raise ParseError(f"duplicate key {key!r} (first on line {first[key]})", source=located.source,
                                 line=line, column=column)
            first[key] = key_node.start_mark.line + 1
            mapping[key] = None
            located.keys[path + (key,)] = _mark(key_node)
            pending.append((value_node, path + (key,), mapping, key))
        stack.extend(reversed(pending))
    return out_root[0]


# ---------------------------------------------------------------------------
# Phase 2: the schema
# ---------------------------------------------------------------------------


@lru_cache(maxsize=None)
def schema(name: str) -> dict[str, Any]:
    """The JSON Schema ``signet/io/schemas/NAME.schema.json`` (``metadata``, ``expectations``)."""
    with open(_SCHEMAS / f"{name}.schema.json", encoding="utf-8") as handle:
        return json.load(handle)


_TYPE_WORDS = {
    "object": "a mapping", "array": "a list", "string": "text", "integer": "an integer",
    "number": "a number", "boolean": "true or false", "null": "nothing (null)",
}


def _is_type(value: Any, kind: str) -> bool:
    if kind == "null":
        return value is None
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "string":
        return isinstance(value, str)
    if kind == "object":
        return isinstance(value, dict)
    if kind == "array":
        return isinstance(value, list)
    raise ValueError(f"unknown JSON Schema type {kind!r}")  # a bug in a schema file


def _found(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return repr(text)
    return repr(value)


def _expected(rule: Mapping[str, Any], root: Mapping[str, Any]) -> str:
    rule = _resolve(rule, root)
    if "enum" in rule:
        words = [json.dumps(v) if not isinstance(v, str) else v for v in rule["enum"]]
        return words[0] if len(words) == 1 else (" or ".join(words) if len(words) == 2
                                                  else "one of " + ", ".join(words))
    if "anyOf" in rule:
        parts: list[str] = []
        for option in rule["anyOf"]:
            for word in _expected(option, root).split(" or "):
                if word not in parts:
                    parts.append(word)
        return " or ".join(parts)
    kinds = rule.get("type")
    if kinds is None:
        return "a value"
    kinds = [kinds] if isinstance(kinds, str) else kinds
    words = [_TYPE_WORDS[k] for k in kinds if not (k == "integer" and "number" in kinds)]
    return " or ".join(words)


def _resolve(rule: Mapping[str, Any], root: Mapping[str, Any]) -> Mapping[str, Any]:
    while "$ref" in rule:
        ref = rule["$ref"]
        if not ref.startswith("#/"):
            raise ValueError(f"unsupported $ref {ref!r}")
        target: Any = root
        for part in ref[2:].split("/"):
            target = target[part]
        rule = {**target, **{k: v for k, v in rule.items() if k != "$ref"}}
    return rule


class _Violation(Exception):
    def __init__(self, path: Path_, message: str, key: bool = False) -> None:
        self.path = path
        self.message = message
        self.key = key


def _type_ok(value: Any, rule: Mapping[str, Any]) -> bool:
    kinds = rule.get("type")
    if kinds is None:
        return True
    kinds = [kinds] if isinstance(kinds, str) else kinds
    return any(_is_type(value, k) for k in kinds)


def _check(value: Any, rule: Mapping[str, Any], root: Mapping[str, Any], path: Path_, located: Located) -> None:
    rule = _resolve(rule, root)
    where = located.where(path)
    if "anyOf" in rule:
        options = [_resolve(o, root) for o in rule["anyOf"]]
        fitting = [o for o in options if _type_ok(value, o) and ("enum" not in o or value in o["enum"])]
        if not fitting:
            raise _Violation(path, f"{where}: expected {_expected(rule, root)}, found {_found(value)}")
        _check(value, fitting[0], root, path, located)
    _check_value(value, rule, root, path, where)
    if isinstance(value, dict):
        _check_mapping(value, rule, root, path, located)
    elif isinstance(value, list) and "items" in rule:
        for i, item in enumerate(value):
            _check(item, rule["items"], root, path + (i,), located)


def _check_value(value: Any, rule: Mapping[str, Any], root: Mapping[str, Any], path: Path_, where: str) -> None:
    """The checks on ``value`` itself: type, enum, exclusiveMinimum/Maximum, pattern."""
    if not _type_ok(value, rule):
        raise _Violation(path, f"{where}: expected {_expected(rule, root)}, found {_found(value)}")
    if "enum" in rule and not any(_same(value, v) for v in rule["enum"]):
        raise _Violation(path, f"{where}: expected {_expected(rule, root)}, found {_found(value)}")
    if "exclusiveMinimum" in rule and _is_type(value, "number") and not (
            math.isfinite(value) and value > rule["exclusiveMinimum"]):
        raise _Violation(path, f"{where}: expected a number above {rule['exclusiveMinimum']}, found {_found(value)}")
    if "exclusiveMaximum" in rule and _is_type(value, "number") and not (
            math.isfinite(value) and value < rule["exclusiveMaximum"]):
        raise _Violation(path, f"{where}: expected a number below {rule['exclusiveMaximum']}, found {_found(value)}")
    if isinstance(value, str) and "pattern" in rule and not re.search(rule["pattern"], value):
        raise _Violation(path, f"{where}: {value!r} is not a valid name (letters, digits, '_', '.', ':', "
                               "not starting with a digit)")


def _same(value: Any, allowed: Any) -> bool:
    return type(value) is type(allowed) and value == allowed


def _check_mapping(value: dict[str, Any], rule: Mapping[str, Any], root: Mapping[str, Any], path: Path_,
                   located: Located) -> None:
    where = located.where(path)
    properties = rule.get("properties", {})
    for name in rule.get("required", ()):
        if name not in value:
            raise _Violation(path, f"{where}: missing {name!r}")
    names = _resolve(rule["propertyNames"], root) if "propertyNames" in rule else None
    extra = rule.get("additionalProperties", True)
    for key, item in value.items():
        if names is not None and "pattern" in names and not re.search(names["pattern"], key):
            raise _Violation(path + (key,), f"{where}: {key!r} is not a valid node name (letters, digits, "
                                            "'_', '.', ':', not starting with a digit)", key=True)
        if key in properties:
            _check(item, properties[key], root, path + (key,), located)
        elif extra is False:
            known = ", ".join(properties)
            what = f"{where}: unknown key" if path else "unknown top-level key"
            raise _Violation(path + (key,), f"{what} {key!r} (expected {known})", key=True)
        elif isinstance(extra, dict):
            _check(item, extra, root, path + (key,), located)


def validate(located: Located, schema_name: str) -> Any:
    """Check ``located.data`` against the schema ``schema_name``; return the data.

    Raises
    ------
    ParseError
        The first violation, as ``file:line:column: where: expected ..., found ...``.
    """
    root = schema(schema_name)
    try:
        _check(located.data, root, root, (), located)
    except _Violation as exc:
        raise located.error(exc.path, exc.message, key=exc.key) from None
    return located.data
