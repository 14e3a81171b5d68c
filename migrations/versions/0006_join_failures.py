"""join failures

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('join_failure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client', sa.String(length=80), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('join_failure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_join_failure_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_join_failure_client'), ['client'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('join_failure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_join_failure_client'))
        batch_op.drop_index(batch_op.f('ix_join_failure_at'))

    op.drop_table('join_failure')
