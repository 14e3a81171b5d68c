"""covering indexes for the dashboard's rating histograms and the room's progress

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_rating_histogram", "rating", ["workshop_id", "initiative_id", "axis", "score"])
    op.create_index("ix_rating_progress", "rating", ["workshop_id", "participant_id", "initiative_id"])


def downgrade() -> None:
    op.drop_index("ix_rating_progress", table_name="rating")
    op.drop_index("ix_rating_histogram", table_name="rating")
