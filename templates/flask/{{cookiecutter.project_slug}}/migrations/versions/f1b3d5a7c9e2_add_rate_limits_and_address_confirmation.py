"""Add rate limits and address confirmation

Revision ID: f1b3d5a7c9e2
Revises: d5a8f3e2b6c1
Create Date: 2026-12-06 00:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "f1b3d5a7c9e2"
down_revision = "d5a8f3e2b6c1"
branch_labels = None
depends_on = None


def upgrade():
    # Accounts from before this revision count as confirmed: they stay usable.
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True)
        )
    op.execute(sa.text("UPDATE users SET verified_at = created_at"))

    # Login, sign-up and reset attempts, counted where every worker sees them.
    op.create_table(
        "rate_limits",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_rate_limits")),
    )


def downgrade():
    op.drop_table("rate_limits")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("verified_at")
