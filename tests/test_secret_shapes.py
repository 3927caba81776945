"""The new shapes of compiler/secrets/shapes.py (URL credentials, AWS secret access keys), masking, and
what a message may quote. The older token shapes are tested in tests/test_secrets.py."""

from __future__ import annotations

import pytest
from fake_secrets import AWS_SECRET_KEY, DATABASE_URL, GITHUB_TOKEN, PASSWORD, PEM, PEM_BODY, URL_PASSWORD

from compiler.secrets.shapes import (
    REDACTED,
    could_be_secret,
    find_shapes,
    mask_secrets,
    scrub_message,
    secret_leaves,
    secret_reason,
    shape_reason,
)


@pytest.mark.parametrize(
    "text",
    [
        AWS_SECRET_KEY,
        f'aws_secret_access_key = "{AWS_SECRET_KEY}"',
        f"key={AWS_SECRET_KEY}, next",
        # next to a name that says so, even 40 characters that do not read as random
        "SecretAccessKey: " + "ABCDEFGHIJ" * 3 + "abcdefghij",
    ],
)
def test_an_aws_secret_access_key_is_recognised(text: str) -> None:
    assert shape_reason(text) == "an AWS secret access key"


@pytest.mark.parametrize(
    "text",
    [
        "0123456789abcdef0123456789abcdef01234567",  # a git commit id
        "envs/Staging2/terraform/modules/networks",  # a path of words
        "ABCDEFGHIJ" * 3 + "abcdefghij",  # not random, and no name says what it is
        AWS_SECRET_KEY + "Z",  # 41 characters: part of something longer
    ],
)
def test_forty_characters_that_are_no_aws_secret_key(text: str) -> None:
    assert shape_reason(text) is None


def test_credentials_in_a_url_are_the_password_only() -> None:
    [match] = find_shapes(f"url: {DATABASE_URL}")
    assert (match.reason, f"url: {DATABASE_URL}"[match.start : match.end]) == ("credentials in a URL", URL_PASSWORD)
    assert mask_secrets(DATABASE_URL) == f"postgres://admin:{REDACTED}@db.example.com:5432/app"


@pytest.mark.parametrize(
    "url",
    [
        "postgres://admin:${DB_PASSWORD}@db/app",
        "postgres://admin:$PGPASSWORD@db/app",
        "https://user:password@example.com",
        "https://user:****@example.com",
        "https://example.com:8443/path@v2",
        "ssh://git@github.com:22/org/repo",
    ],
)
def test_a_url_without_a_real_password_is_no_secret(url: str) -> None:
    assert shape_reason(url) is None


def test_a_private_key_is_masked_whole_and_a_diff_stays_a_diff() -> None:
    diff = " context\n" + "".join(f"-{line}\n" for line in PEM.split("\n")) + "+new\n"
    assert mask_secrets(diff) == f" context\n-{REDACTED}\n-\n-\n+new\n"
    unterminated = "-----BEGIN " + "PRIVATE KEY-----\n" + PEM_BODY + "\nmore"
    assert mask_secrets("a " + unterminated) == f"a {REDACTED}\n\n", "without its END, the rest is masked"


def test_masking_merges_overlapping_shapes_and_keeps_other_text() -> None:
    text = f"a {GITHUB_TOKEN} b secret_key={AWS_SECRET_KEY} c"
    assert mask_secrets(text) == f"a {REDACTED} b secret_key={REDACTED} c"


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        (PASSWORD, True),
        ("Tr0ub4dor&3", True),
        (GITHUB_TOKEN, True),
        ("x-staging", False),
        ("layers.L3.name", False),
        ("TF_VAR_db_password", False),
        ("Atlantis (`platform`)", False),
        ("Staging 2", False),
        ("Hunter22", True),
    ],
)
def test_what_could_be_a_secret_in_a_message(text: str, secret: bool) -> None:
    assert could_be_secret(text) is secret


def test_scrub_message_masks_password_like_words_and_shapes_only() -> None:
    message = f"env_prefix '{PASSWORD}' at layers.L3.name: see {GITHUB_TOKEN}; quote it (\"no\")"
    assert scrub_message(message) == f"env_prefix '{REDACTED}' at layers.L3.name: see {REDACTED}; quote it (\"no\")"


def test_secret_leaves_are_the_texts_that_make_a_value_secret() -> None:
    value = {"url": "r.example.com", "token": PASSWORD, "nested": [GITHUB_TOKEN, "plain"]}
    assert sorted(secret_leaves("registry", value)) == sorted([PASSWORD, GITHUB_TOKEN])
    assert sorted(secret_leaves("db_password", ["a-real-one", "..."])) == ["a-real-one"]
    assert sorted(secret_leaves("anything", {"k": "value"}, sensitive=True)) == ["value"]
    assert secret_reason("registry", value) == "a GitHub token"
