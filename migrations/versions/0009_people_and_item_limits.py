"""merged and removed participants, per-person item limits

Revision ID: 0009
Revises: 0007
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op


revision = '0009'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.add_column(sa.Column('items_per_person', sa.Integer(), nullable=False, server_default='50'))
        batch_op.add_column(sa.Column('items_per_minute', sa.Integer(), nullable=False, server_default='10'))
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('removed', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_index(batch_op.f('ix_participant_merged_into_id'), ['merged_into_id'], unique=False)
        batch_op.create_foreign_key('fk_participant_merged_into_id_participant', 'participant',
                                    ['merged_into_id'], ['id'])
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.alter_column('items_per_person', server_default=None)
        batch_op.alter_column('items_per_minute', server_default=None)
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.alter_column('removed', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_constraint('fk_participant_merged_into_id_participant', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_participant_merged_into_id'))
        batch_op.drop_column('removed')
        batch_op.drop_column('merged_into_id')
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.drop_column('items_per_minute')
        batch_op.drop_column('items_per_person')
