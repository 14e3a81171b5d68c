"""room revision and the wall's reveal mode

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        # Yesterday's workshops start with the room counter equal to the full one: every page redraws once.
        batch_op.add_column(sa.Column('room_revision', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('spotlight_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('wall_selfcheck', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute("UPDATE workshop SET room_revision = revision")
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.alter_column('room_revision', server_default=None)
        batch_op.alter_column('wall_selfcheck', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.drop_column('wall_selfcheck')
        batch_op.drop_column('spotlight_id')
        batch_op.drop_column('room_revision')
