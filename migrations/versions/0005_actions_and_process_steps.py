"""actions and process steps

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('initiative_id', sa.Integer(), nullable=False),
    sa.Column('what', sa.String(length=300), nullable=False),
    sa.Column('owner', sa.String(length=80), nullable=False),
    sa.Column('due', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiative.id'], ),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_initiative_id'), ['initiative_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('process_step',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('initiative_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('actor', sa.String(length=80), nullable=False),
    sa.Column('what', sa.String(length=300), nullable=False),
    sa.Column('information', sa.String(length=300), nullable=False),
    sa.Column('value', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiative.id'], ),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('process_step', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_process_step_initiative_id'), ['initiative_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_process_step_workshop_id'), ['workshop_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('process_step', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_process_step_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_process_step_initiative_id'))

    op.drop_table('process_step')
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_action_initiative_id'))

    op.drop_table('action')
