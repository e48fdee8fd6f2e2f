"""Beam pipelines (batch and streaming share the same composite transforms) and the CLI."""
