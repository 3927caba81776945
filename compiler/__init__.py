"""ssot-compiler: one YAML file compiles to docs, README blocks and tfvars examples."""

from __future__ import annotations

__version__ = "0.2.0"
