"""Merge the admin and note author revisions

Revision ID: e9b4c7d1a2f6
Revises: c47e9a3b15d2, d5a8f3e2b6c1
Create Date: 2026-12-06 00:00:00

"""

# revision identifiers, used by Alembic.
revision = "e9b4c7d1a2f6"
down_revision = ("c47e9a3b15d2", "d5a8f3e2b6c1")
branch_labels = None
depends_on = None


def upgrade():
    # Both revisions build on the users table; this one only joins their branches.
    pass


def downgrade():
    pass
