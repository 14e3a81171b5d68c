"""self-check runs and ratings, chosen initiatives

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('selfcheck_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('selfcheck_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_selfcheck_run_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('selfcheck_rating',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('area', sa.String(length=32), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], ),
    sa.ForeignKeyConstraint(['run_id'], ['selfcheck_run.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('run_id', 'participant_id', 'area')
    )
    with op.batch_alter_table('selfcheck_rating', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_selfcheck_rating_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_selfcheck_rating_run_id'), ['run_id'], unique=False)

    with op.batch_alter_table('initiative', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chosen', sa.Boolean(), nullable=False, server_default=sa.false()))



def downgrade() -> None:
    with op.batch_alter_table('initiative', schema=None) as batch_op:
        batch_op.drop_column('chosen')

    with op.batch_alter_table('selfcheck_rating', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_selfcheck_rating_run_id'))
        batch_op.drop_index(batch_op.f('ix_selfcheck_rating_participant_id'))

    op.drop_table('selfcheck_rating')
    with op.batch_alter_table('selfcheck_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_selfcheck_run_workshop_id'))

    op.drop_table('selfcheck_run')
