"""YAML text -> plain Python data, plus an index from each path to where it is written.

PyYAML's safe loader does the parsing. Before anything is constructed, the node tree is walked once to
refuse what PyYAML would accept silently: duplicate keys (the last one would win), keys that are not
strings (`no:` is the boolean false), YAML 1.1 booleans and integers spelled in surprising ways (`on`,
`010`), non-finite numbers (`.inf`, `.nan`), control characters in text (`"\\x01"`), tags other than the
plain YAML ones, and alias expansions that would blow up (billion laughs, by values and by characters).

The budgets (size, nesting, values and text once aliases expand) hold for every YAML file the tool reads,
not only the SSOT: `load_data` reads a file another tool owns (atlantis.yaml, for `ssot init`) under them,
without the SSOT's strictness (`compose_yaml` gives its nodes, with their places in the text); `over_budget`
judges YAML the tool drafted itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import yaml

from compiler.errors import Problem, SsotError
from compiler.formats.yaml_walk import Path, Position, Walker

#: The most a YAML file may weigh. This repository's SSOT is 4 KiB, and a hand-written one a thousand
#: times larger is hard to imagine; PyYAML reads about half a MiB a second, so 5 MiB stays a matter of
#: seconds. A bigger file is a mistake (a generated dump, the wrong file), refused before it is parsed.
MAX_BYTES = 5 << 20


class LoadedYaml(NamedTuple):
    data: Any
    positions: dict[Path, Position]
    filename: str
    #: problems that still let the data be built (a duplicate key, a YAML 1.1 boolean): validation goes
    #: on, so that the user hears about every problem at once
    problems: tuple[Problem, ...] = ()
    #: paths whose value or key those problems already explain, so validation need not say it again
    explained: frozenset[Path] = frozenset()

    def locate(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """The line and column of `path`, or of its nearest written ancestor."""
        while path and path not in self.positions:
            path = path[:-1]
        pos = self.positions.get(path)
        if pos is None:
            return (1, 1)
        return (pos.key_line, pos.key_col) if key else (pos.line, pos.col)


def load_yaml(text: str, filename: str, *, hidden: Callable[[Path], bool] | None = None) -> LoadedYaml:
    """Parse `text` strictly.

    Raises SsotError when no data can be built (a syntax error, an unsafe tag, an alias bomb); other
    problems come back in `LoadedYaml.problems`, to be reported with the validation's. A message never
    quotes a value whose path `hidden` holds (a key that sounds secret): it names the path instead.
    """
    text = text.removeprefix("\ufeff")
    node = _compose_within_budgets(text, filename)
    if node is None:
        raise SsotError([Problem(filename, 1, 1, "the file is empty; expected a mapping (layers, environments, ...)")])
    walker = Walker(filename, text, hidden)
    walker.check_expansion(node)
    if not walker.fatal:
        walker.walk(node)
    if walker.fatal:
        raise SsotError([*walker.fatal, *walker.problems])
    try:
        data = _construct(node, filename)
    except SsotError as exc:  # said already where the walk found that value surprising (a date, say)
        said = {(p.line, p.col) for p in walker.problems}
        raise SsotError([*walker.problems, *(p for p in exc.problems if (p.line, p.col) not in said)]) from None
    return LoadedYaml(
        data=data,
        positions=walker.positions,
        filename=filename,
        problems=tuple(walker.problems),
        explained=frozenset(walker.explained),
    )


def load_data(text: str, filename: str) -> Any:
    """A YAML file another tool owns (atlantis.yaml, digger.yml) as plain data (None when it is empty).

    Under the SSOT's budgets (size, nesting, values and text once aliases expand, recursive aliases),
    none of its strictness: the spelling is its owner's business. Raises SsotError, naming the file and
    the line where known, for a budget exceeded or text that is no YAML.
    """
    node = compose_yaml(text, filename)
    return None if node is None else _construct(node, filename)


def compose_yaml(text: str, filename: str) -> yaml.Node | None:
    """The node graph of a YAML file (None when it is empty), with every node's place in the text, under
    the budgets `load_data` applies: for a reader that edits or reports values where they are written."""
    node = _compose_within_budgets(text, filename)
    if node is not None:
        walker = Walker(filename, text)
        walker.check_expansion(node)
        if walker.fatal:
            raise SsotError(walker.fatal)
    return node


def over_budget(text: str, filename: str) -> Problem | None:
    """The first budget `text` exceeds (size, nesting, values, expanded text), or None; a syntax error is
    no budget (None too). For YAML the tool writes itself, whose size follows what it read."""
    try:
        node = _compose_within_budgets(text, filename)
    except SsotError as exc:
        budget = is_too_big(text) or any(p.message == _TOO_DEEP for p in exc.problems)
        return exc.problems[0] if budget else None
    if node is None:
        return None
    walker = Walker(filename, text)
    walker.check_expansion(node)
    return walker.fatal[0] if walker.fatal else None


def _compose_within_budgets(text: str, filename: str) -> yaml.Node | None:
    """The node graph of `text`, refused (SsotError) past MAX_BYTES, too deep for the parser, or not YAML."""
    if is_too_big(text):
        size = len(text.encode("utf-8", "surrogatepass"))
        raise SsotError(
            [
                Problem(
                    filename,
                    0,
                    0,
                    f"is {size / (1 << 20):.1f} MiB; a YAML file here may hold at most {MAX_BYTES >> 20} MiB "
                    "(a hand-written one is a few KiB): is it the right file?",
                )
            ]
        )
    try:
        return _compose(text)
    except yaml.reader.ReaderError as exc:
        raise SsotError([_character_problem(exc, text, filename)]) from None
    except yaml.MarkedYAMLError as exc:
        raise SsotError([_syntax_problem(exc, filename)]) from None
    except yaml.YAMLError as exc:
        raise SsotError([Problem(filename, 0, 0, f"YAML error: {exc}")]) from None
    except _TooDeep as exc:
        raise SsotError([Problem(filename, exc.line, exc.col, _TOO_DEEP)]) from None


_TOO_DEEP = "YAML nesting is too deep"
#: libyaml's word for nesting past its limit (a thousand levels, far past MAX_DEPTH)
_LIBYAML_TOO_DEEP = "exceeded maximum nesting depth"


def _construct(node: yaml.Node, filename: str) -> Any:
    """The data of a node graph the budgets let through. Raises SsotError for a tag no safe loader knows,
    and for a scalar YAML types but Python cannot build (a 5,000-digit number, February 30th)."""
    try:
        return yaml.SafeLoader("").construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise SsotError([Problem(filename, line, col, f"cannot be read: {exc.problem}")]) from None
    except (ValueError, OverflowError):
        raise SsotError([_unbuildable(node, filename)]) from None


def _unbuildable(root: yaml.Node, filename: str) -> Problem:
    """Where construction failed: the first typed scalar that cannot be built (the value is not quoted)."""
    stack = [root]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            try:
                yaml.SafeLoader("").construct_object(node)
            except (ValueError, OverflowError):
                kind = "date" if node.tag.endswith(":timestamp") else "number"
                message = f"YAML reads this as a {kind} that cannot be built (no such date, or too many digits); quote it if you mean text"
                return Problem(filename, node.start_mark.line + 1, node.start_mark.column + 1, message)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in reversed(node.value) for part in reversed(pair))
    return Problem(filename, 0, 0, "holds a value YAML reads as a number or a date that cannot be built")


def is_too_big(text: str) -> bool:
    """Whether `text` is past MAX_BYTES in UTF-8 (and so refused before it is parsed)."""
    text = text.removeprefix("\ufeff")
    return len(text) > MAX_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES


def _compose(text: str) -> yaml.Node | None:
    """The node graph of `text`, with marks (line, column, character index) on every node.

    libyaml's parser when PyYAML was built with it: tens of times faster on a big file. Whatever it
    refuses is parsed again by PyYAML's own parser, whose messages (and checks: it refuses control
    characters such as a NUL or an ESC right away) are the ones users see.
    """
    if getattr(yaml, "__with_libyaml__", False):
        try:
            fast = yaml.CSafeLoader(text)
            try:
                return fast.get_single_node()
            finally:
                fast.dispose()
        except yaml.MarkedYAMLError as exc:
            # libyaml stops a thousand levels deep, where it got too deep: PyYAML would only say so after
            # a second or two, when Python's stack runs out
            if exc.problem == _LIBYAML_TOO_DEEP and exc.problem_mark is not None:
                raise _TooDeep(exc.problem_mark.line + 1, exc.problem_mark.column + 1) from None
        except (yaml.YAMLError, RecursionError):
            pass
    loader = yaml.SafeLoader(text)
    try:
        return loader.get_single_node()
    except RecursionError:
        mark = loader.get_mark()  # how far the parser had read: inside the nesting, where it got too deep
        raise _TooDeep(mark.line + 1, mark.column + 1) from None
    finally:
        loader.dispose()


class _TooDeep(RecursionError):
    """Nesting past what the parser can follow (Python's stack), at a line and column."""

    def __init__(self, line: int, col: int) -> None:
        super().__init__(_TOO_DEEP)
        self.line, self.col = line, col


def _character_problem(exc: yaml.reader.ReaderError, text: str, filename: str) -> Problem:
    """A character YAML does not allow in a file (a control character: a binary file, a stray NUL)."""
    position = exc.position
    line = text.count("\n", 0, position) + 1
    col = position - (text.rfind("\n", 0, position) + 1) + 1
    character = exc.character if isinstance(exc.character, str) else chr(exc.character)
    name = "NUL" if character == "\0" else f"U+{ord(character):04X}"
    return Problem(
        filename, line, col, f"character {name} is not allowed in YAML (a control character: a binary file?)"
    )


def _syntax_problem(exc: yaml.MarkedYAMLError, filename: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    message = exc.problem or "invalid YAML"
    if exc.context:
        message = f"{exc.context}: {message}"
        opened = exc.context_mark
        if opened is not None and mark is not None and opened.line != mark.line:
            message += f" (the {_CONTEXTS.get(exc.context, 'construct')} begun at line {opened.line + 1}, column {opened.column + 1})"
    if "'\\t'" in message:
        message += " (YAML indents with spaces, never tabs)"
    line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    return Problem(filename, line, col, f"YAML syntax error: {message}")


_CONTEXTS = {
    "while parsing a flow sequence": "'['",
    "while parsing a flow mapping": "'{'",
    "while scanning a quoted scalar": "quoted string",
    "while parsing a block mapping": "mapping",
    "while parsing a block collection": "list",
    "expected a single document in the stream": "first document",
}
