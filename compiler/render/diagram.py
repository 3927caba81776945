"""PLACEHOLDER written by the lead so the rest can run; helper-7 replaces this file entirely."""

from __future__ import annotations

from compiler.facts import Facts


def render_diagram_svg(facts: Facts) -> str:
    return '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>Layers</title></svg>\n'
