"""Artifacts: the registry of what `ssot build` writes, and the plan of what each file should hold."""
