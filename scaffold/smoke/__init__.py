"""Smoke-testing a template: its combinations (matrix), their checks, environments and reports."""
