"""Updating a generated project: the pristine template branch, the recorded base, the merge."""
