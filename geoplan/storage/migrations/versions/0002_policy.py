"""policy thresholds

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    policy = op.create_table(
        "policy",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"),
                  nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.bulk_insert(policy, [
        {"name": "max_area_share", "value": 0.10},
        {"name": "max_per_building", "value": 2},
        {"name": "max_within_250m", "value": 12},
    ])


def downgrade() -> None:
    op.drop_table("policy")
