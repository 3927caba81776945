"""compiler.compare.tfvars: a tfvars example read as HCL and compared as data, on texts made for the test."""

from __future__ import annotations

import pytest

from compiler.compare.tfvars import compare_tfvars_example

PATH = "envs/dev.tfvars.example"
HEADER = "# Generated from ssot/env.yaml by `ssot build`. Do not edit by hand.\n\n"
EXPECTED = HEADER + 'environment = "dev"\nports       = [80, 443]\ntags        = { team = "web", tier = "front" }\n'


def located(current: str) -> list[tuple[str, int, str | None, str | None]]:
    return [(f.code, f.line, f.expected, f.found) for f in compare_tfvars_example(PATH, current, EXPECTED)]


@pytest.mark.parametrize(
    "current",
    [
        pytest.param(EXPECTED.replace('"dev"', '"dev" # the dev cluster'), id="trailing-comment"),
        pytest.param(
            EXPECTED.replace('{ team = "web", tier = "front" }', '{\n  team = "web"\n  tier = "front"\n}'),
            id="map-over-several-lines",
        ),
        pytest.param(EXPECTED.replace("[80, 443]", "[\n  80,\n  443,\n]"), id="list-over-several-lines"),
        pytest.param(EXPECTED.replace("\n", "\r\n"), id="crlf"),
    ],
)
def test_layout_is_not_drift(current: str) -> None:
    assert located(current) == []


def test_a_changed_value_is_shown_as_build_writes_it() -> None:
    current = EXPECTED.replace('tier = "front"', 'tier = "back"')
    assert located(current) == [
        ("tfvars-example-value", 5, '{ team = "web", tier = "front" }', '{ team = "web", tier = "back" }')
    ]


def test_a_quoted_number_is_another_value() -> None:
    assert located(EXPECTED.replace("[80, 443]", '["80", 443]')) == [
        ("tfvars-example-value", 4, "[80, 443]", '["80", 443]')
    ]


def test_a_missing_and_an_extra_attribute() -> None:
    current = EXPECTED.replace("ports       = [80, 443]\n", 'region = "eu"\n')
    assert located(current) == [
        ("tfvars-example-missing", 5, "[80, 443]", None),
        ("tfvars-example-extra", 4, None, None),
    ]


def test_a_changed_comment_line_is_a_stale_artifact_and_unreadable_hcl_too() -> None:
    assert [c for c, *_ in located(EXPECTED.replace("Do not edit", "Edit"))] == ["stale-artifact"]
    assert [c for c, *_ in located(EXPECTED + "<<<<<<< HEAD\n")] == ["stale-artifact"]
