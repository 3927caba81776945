"""The comparators the registry names, each importing its module (compiler/compare/) when first called.

A comparator runs only where an artifact differs from what `ssot build` would write (or is a team's file):
a check that finds everything up to date, as most do, imports none of them, nor difflib.
"""

from __future__ import annotations

from compiler.findings import Finding


def compare_lines(path: str, current: str, expected: str) -> list[Finding]:
    from compiler.compare.files import compare_lines as compare

    return compare(path, current, expected)


def compare_json(path: str, current: str, expected: str) -> list[Finding]:
    from compiler.compare.json_data import compare_json as compare

    return compare(path, current, expected)


def compare_yaml(path: str, current: str, expected: str) -> list[Finding]:
    from compiler.compare.yaml_data import compare_yaml as compare

    return compare(path, current, expected)


def compare_markdown(path: str, current: str, expected: str) -> list[Finding]:
    from compiler.compare.markdown import compare_markdown as compare

    return compare(path, current, expected)


def compare_markdown_blocks(path: str, current: str, expected: str) -> list[Finding]:
    from compiler.compare.markdown import compare_markdown_blocks as compare

    return compare(path, current, expected)


def compare_tfvars_example(path: str, current: str, expected: str) -> list[Finding]:
    from compiler.compare.tfvars import compare_tfvars_example as compare

    return compare(path, current, expected)


def same_markdown(current: str, expected: str) -> bool:
    from compiler.compare.markdown import same_markdown as same

    return same(current, expected)
