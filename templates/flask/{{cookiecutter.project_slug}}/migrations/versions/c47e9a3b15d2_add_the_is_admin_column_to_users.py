"""Add the is_admin column to users

Revision ID: c47e9a3b15d2
Revises: 8b2d6e1f4a90
Create Date: 2026-11-22 00:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c47e9a3b15d2"
down_revision = "8b2d6e1f4a90"
branch_labels = None
depends_on = None


def upgrade():
    # The server default makes the users who already exist non-admins.
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "is_admin", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("is_admin")
