"""The store's YAML (hand-written: data/agencies.yaml, data/corrections/…; machine-written: records,
source.yaml): read as UTF-8, with no aliases.

An alias (`*name`) repeats a node without copying it in the file, so a few hundred bytes of nested
aliases ("billion laughs") expand to gigabytes once constructed. The node graph is composed first, where
an alias is one more reference to the same node: a node met twice is refused before anything is
constructed. None of these files needs aliases; a record arriving in a fork's pull request could hold
them all the same.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import NianbaoError


def load_yaml(path: Path, error: type[NianbaoError]) -> tuple[Any, yaml.Node | None]:
    """(data, root node) of the YAML file at path; `error` (file and line) when it is not UTF-8, not
    YAML, or uses an alias."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error(f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8", path, line) from None
    loader = yaml.CSafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        _refuse_aliases(node, path, error)
        return loader.construct_document(node), node
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise error(f"not valid YAML: {getattr(exc, 'problem', exc)}", path, mark.line + 1 if mark else None) from None
    except RecursionError:
        raise error("not valid YAML: nested too deeply", path) from None
    finally:
        loader.dispose()


def _refuse_aliases(root: yaml.Node, path: Path, error: type[NianbaoError]) -> None:
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise error("a YAML alias (*name) repeats the value anchored here; aliases are not allowed in this "
                        "file: write the value out", path, node.start_mark.line + 1)
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))


def load_data(path: Path, error: type[NianbaoError]) -> Any:
    """The data of a machine-written YAML file (a record, a source.yaml), as load_yaml refuses it. Text
    without `&` or `*` can hold no anchor or alias, so it goes straight to the C loader (the common case,
    at the speed a build needs); any other text, or text that fails, takes load_yaml's careful path."""
    data = path.read_bytes()
    if b"&" not in data and b"*" not in data:
        try:
            return yaml.load(data.decode("utf-8"), Loader=yaml.CSafeLoader)
        except (UnicodeDecodeError, yaml.YAMLError):
            pass  # load_yaml says where and why
    return load_yaml(path, error)[0]
