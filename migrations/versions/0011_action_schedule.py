"""actions: start date, milestones, finish-to-start dependencies

Revision ID: 0011
Revises: 0009
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op


revision = '0011'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.add_column(sa.Column('start', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('milestone', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.alter_column('milestone', server_default=None)
    op.create_table('action_dependency',
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('depends_on_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], ),
    sa.ForeignKeyConstraint(['depends_on_id'], ['action.id'], ),
    sa.PrimaryKeyConstraint('action_id', 'depends_on_id')
    )
    with op.batch_alter_table('action_dependency', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_dependency_depends_on_id'), ['depends_on_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('action_dependency', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_dependency_depends_on_id'))
    op.drop_table('action_dependency')
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.drop_column('milestone')
        batch_op.drop_column('start')
