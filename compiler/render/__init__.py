"""Renderers: pure functions from facts to text. None of them touches the disk."""
