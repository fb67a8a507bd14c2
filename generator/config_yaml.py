"""Read the policy YAML safely: a size cap, no merge keys, duplicate keys refused, and aliases
bounded by the size of what they expand to.

A pull request can edit the config, so its YAML is untrusted: nested aliases ("billion laughs")
turn a few hundred bytes into gigabytes once constructed, and the first schema error would print
them. The node graph is measured before anything is constructed: a document whose aliases expand
beyond `MAX_NODES` nodes, or that refers to itself, is refused. Merge keys (`<<: *defaults`) are
refused: they make settings appear where they are not written, and YAML 1.2 dropped them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from generator.errors import InputError
from generator.sources.secrets import redact_urls_in

MAX_BYTES = 5 * 1024 * 1024  # a policy is a few KB; even 25,000 CIDRs fit in 1 MB
MAX_NODES = 100_000  # scalars, lists and mappings after expanding every alias
MERGE_TAG = "tag:yaml.org,2002:merge"


def read_yaml(path: Path) -> Any:
    """The document at `path` (None when empty); every problem an InputError naming the file
    and, where known, the line."""
    text = _read_text(path)
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None
        _check_nodes(path, loader, root)
        return loader.construct_document(root)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark is not None else str(path)
        problem = redact_urls_in(getattr(error, "problem", None) or str(error))
        raise InputError(f"{where}: malformed YAML: {problem}") from None
    except RecursionError:
        raise InputError(f"{path}: YAML nested too deeply; refused") from None
    finally:
        loader.dispose()


def _read_text(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise InputError(f"{path}: cannot read config: {error.strerror or error}") from None
    if len(data) > MAX_BYTES:
        raise InputError(f"{path}: config larger than {MAX_BYTES} bytes; refused")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: config is not UTF-8 text ({error.reason})") from None


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _check_nodes(path: Path, loader: yaml.SafeLoader, root: yaml.Node) -> None:
    """Refuse merge keys, self-references, an expansion beyond MAX_NODES and duplicate keys."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    problems: list[str] = []

    def size(node: yaml.Node, parts: tuple[str | int, ...]) -> int:
        key = id(node)
        if key in sizes:  # an alias: counted again where it is used, walked once
            return sizes[key]
        if key in open_nodes:
            raise InputError(
                f"{path}:{_line(node)}: {_where(parts)}: an alias refers to a node that "
                "contains it (a recursive structure); refused"
            )
        open_nodes.add(key)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(item, (*parts, i)) for i, item in enumerate(node.value))
        elif isinstance(node, yaml.MappingNode):
            total += _mapping_size(node, parts)
        open_nodes.discard(key)
        sizes[key] = total
        if total > MAX_NODES:
            raise InputError(
                f"{path}:{_line(node)}: {_where(parts)}: expands to more than {MAX_NODES} "
                "values (aliases repeating aliases); refused"
            )
        return total

    def _mapping_size(node: yaml.MappingNode, parts: tuple[str | int, ...]) -> int:
        first_lines: dict[object, int] = {}
        total = 0
        for key_node, value_node in node.value:
            if key_node.tag == MERGE_TAG:
                raise InputError(
                    f"{path}:{_line(key_node)}: {_where(parts)}: YAML merge keys (<<) are not "
                    "allowed: write each setting where it applies"
                )
            if not isinstance(key_node, yaml.ScalarNode):
                total += size(key_node, parts) + size(value_node, parts)
                continue
            name = loader.construct_object(key_node)
            where = _where((*parts, str(name)))
            if name in first_lines:
                problems.append(
                    f"{path}:{_line(key_node)}: duplicate key {where} (first at line "
                    f"{first_lines[name]}); YAML would keep only the last one"
                )
            else:
                first_lines[name] = _line(key_node)
            total += 1 + size(value_node, (*parts, str(name)))
        return total

    size(root, ())
    if problems:
        raise InputError("invalid config:\n  " + "\n  ".join(dict.fromkeys(problems)))


def _where(parts: tuple[str | int, ...]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"
