"""The budgets every YAML file the tool reads is held to before anything is built from it: nesting, values
and text once aliases expand, and no alias that contains itself. They keep a hostile file (a billion laughs, a
recursive alias, a thousand levels of brackets) from costing gigabytes or a stack overflow; compiler/formats/
yaml_walk.py reports what they refuse.
"""

from __future__ import annotations

import yaml

#: Nodes visited, counting every alias expansion. Far above any real SSOT, far below a memory problem.
MAX_NODES = 100_000
#: Nesting depth. The SSOT is about six levels deep.
MAX_DEPTH = 64
#: Characters of text (keys and values) once every alias is expanded. The file itself may hold 5 MiB
#: (strict_yaml.MAX_BYTES), so a file without aliases always fits; aliases may double it, no more: each
#: expanded character is rendered into several pages, so a 1 MB scalar aliased 3,000 times is refused here,
#: before it costs gigabytes.
MAX_EXPANDED_CHARS = 10 << 20


def over_budgets(root: yaml.Node, text: str) -> tuple[yaml.Node, str] | None:
    """None when `root` (composed from `text`) is within every budget; else the node to blame and why:
    a recursive alias, nesting past MAX_DEPTH, or aliases that expand past MAX_NODES values or
    MAX_EXPANDED_CHARS characters (a billion laughs).

    Counts the expanded size of each distinct node once (aliases share nodes), so it costs what the file
    is, not what it would expand to. The bomb is reported at the deepest node that is too big: where
    aliases start multiplying past the limit.
    """
    if "&" not in text and _plain_tree_fits(root):
        return None  # no anchor, so no alias: a tree within the budgets (the usual file, read in one pass)
    size: dict[int, int] = {}
    #: characters of text each node expands to
    chars: dict[int, int] = {}
    on_path: set[int] = set()
    #: each node, and its children once they are done (None: not yet visited)
    stack: list[tuple[yaml.Node, list[yaml.Node] | None]] = [(root, None)]
    while stack:
        node, children = stack.pop()
        key = id(node)
        if key in size:
            continue
        if children is not None:
            on_path.discard(key)
            if children:
                size[key] = 1 + sum([size[id(child)] for child in children])
                chars[key] = sum([chars[id(child)] for child in children])
            else:  # a scalar (or an empty collection)
                size[key] = 1
                chars[key] = len(node.value) if isinstance(node, yaml.ScalarNode) else 0
            if chars[key] > MAX_EXPANDED_CHARS and all(chars[id(c)] <= MAX_EXPANDED_CHARS for c in children):
                limit = f"{MAX_EXPANDED_CHARS >> 20} MiB"
                return node, f"expands to more than {limit} of text through aliases; refusing to load"
            if size[key] > MAX_NODES and all(size[id(c)] <= MAX_NODES for c in children):
                # more values than distinct nodes read so far: aliases multiply them
                what = "expands to" if size[key] > len(size) else "holds"
                how = " through aliases" if what == "expands to" else ""
                return node, f"{what} more than {MAX_NODES} values{how}; refusing to load"
            continue
        if key in on_path:
            return node, "an alias refers to a collection that contains it (a recursive structure)"
        on_path.add(key)
        children = _children(node)
        stack.append((node, children))
        stack.extend([(child, None) for child in reversed(children) if id(child) not in size])
        if len(on_path) - 1 > MAX_DEPTH:  # the top-level mapping is depth 0
            return node, f"nested more than {MAX_DEPTH} levels deep; refusing to load"
    return None


def _plain_tree_fits(root: yaml.Node) -> bool:
    """Whether a graph without aliases (a tree) holds at most MAX_NODES nodes, at most MAX_DEPTH deep. Its
    text fits by construction (MAX_EXPANDED_CHARS); when this says no, the full check says where and why."""
    count = 0
    level: list[yaml.Node] = [root]
    for _ in range(MAX_DEPTH + 1):  # depths 0 (the top-level node) to MAX_DEPTH
        count += len(level)
        if count > MAX_NODES:
            return False
        below: list[yaml.Node] = []
        for node in level:
            if isinstance(node, yaml.MappingNode):
                for pair in node.value:
                    below.extend(pair)
            elif isinstance(node, yaml.SequenceNode):
                below.extend(node.value)
        level = below
    return not level  # nothing deeper than MAX_DEPTH


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []
