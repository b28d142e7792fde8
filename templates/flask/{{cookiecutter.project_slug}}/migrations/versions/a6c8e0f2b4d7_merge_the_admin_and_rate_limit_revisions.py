"""Merge the admin and rate limit revisions

Revision ID: a6c8e0f2b4d7
Revises: e9b4c7d1a2f6, f1b3d5a7c9e2
Create Date: 2026-12-06 00:00:00

"""

# revision identifiers, used by Alembic.
revision = "a6c8e0f2b4d7"
down_revision = ("e9b4c7d1a2f6", "f1b3d5a7c9e2")
branch_labels = None
depends_on = None


def upgrade():
    # Both revisions build on the note authors one; this one only joins them.
    pass


def downgrade():
    pass
