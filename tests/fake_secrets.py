"""Fake secrets for the secret-guard tests, assembled at run time from pieces.

None of them is a valid credential, and none is written whole in this repository: a secret scanner (or
the guard itself) reading the tests' sources finds nothing.
"""

from __future__ import annotations

GITHUB_TOKEN = "ghp" + "_" + "aB3" * 12
SLACK_TOKEN = "xox" + "b-1234567890-" + "Ab9" * 8
AWS_KEY_ID = "AKIA" + "Q7" * 8
#: 40 characters that read as random, as an AWS secret access key does (under any name)
AWS_SECRET_KEY = "wJa1rXUtnFEMI" + "/K7MDENG/" + "bPxRfiCYz9Q4mTkL2v"
URL_PASSWORD = "S3cr3t" + "-pw"
DATABASE_URL = "postgres://admin:" + URL_PASSWORD + "@db.example.com:5432/app"
PEM_BODY = "bm90LWEtcmVhbC1rZXktYm9keQ"
PEM = "-----BEGIN " + "RSA PRIVATE KEY-----\n" + PEM_BODY + "\n-----END " + "RSA PRIVATE KEY-----"
#: not a token shape: a secret only by where it stands (a `*password*` name), or as a word a message must not quote
PASSWORD = "Hunter2" + "-Zq9x"
