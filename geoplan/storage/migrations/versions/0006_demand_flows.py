"""demand flows per target group and year (aggregates only)

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "demand_flows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("target_group", sa.String(length=40), nullable=False),
        sa.Column("inflow", sa.Integer(), nullable=True),
        sa.Column("allocations", sa.Integer(), nullable=True),
        sa.Column("withdrawals", sa.Integer(), nullable=True),
        sa.Column("relets", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("year", "target_group"),
    )
    with op.batch_alter_table("demand_flows") as batch:
        batch.create_index(batch.f("ix_demand_flows_year"), ["year"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("demand_flows") as batch:
        batch.drop_index(batch.f("ix_demand_flows_year"))
    op.drop_table("demand_flows")
