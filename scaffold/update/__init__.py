"""Updating a generated project with git, one module a job.

``actions``  update, check and adopt: what the commands call
``record``   the answers an update starts from, checked and planned again
``base``     opening the repository for an update: mergeable? which render is the base?
``merge``    the merge computed in git's object store
``apply``    the merge applied to the project, or undone when a step fails
``results``  what update, check and adopt report
``revisions``, ``notices``, ``version``: Alembic heads, .env lines, template releases
"""
