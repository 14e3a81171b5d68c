"""workshops, participants, demands, votes

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('workshop',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('join_code', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('company', sa.String(length=120), nullable=False),
    sa.Column('segment', sa.String(length=300), nullable=False),
    sa.Column('facilitator_key_hash', sa.String(length=64), nullable=False),
    sa.Column('phase', sa.String(length=32), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('private_until_reveal', sa.Boolean(), nullable=False),
    sa.Column('revealed', sa.Boolean(), nullable=False),
    sa.Column('vote_budget', sa.Integer(), nullable=False),
    sa.Column('vote_cap', sa.Integer(), nullable=False),
    sa.Column('locked', sa.Boolean(), nullable=False),
    sa.Column('timer_ends_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_join_code'), ['join_code'], unique=True)

    op.create_table('moderation_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('target', sa.String(length=64), nullable=False),
    sa.Column('detail', sa.String(length=1000), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('moderation_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_moderation_event_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('participant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participant_token_hash'), ['token_hash'], unique=True)
        batch_op.create_index(batch_op.f('ix_participant_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('demand',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('area', sa.String(length=32), nullable=True),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['merged_into_id'], ['demand.id'], ),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], ),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('demand', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_demand_merged_into_id'), ['merged_into_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_demand_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_demand_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('demand_vote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('demand_id', sa.Integer(), nullable=False),
    sa.Column('dots', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['demand_id'], ['demand.id'], ),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], ),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('participant_id', 'demand_id')
    )
    with op.batch_alter_table('demand_vote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_demand_vote_demand_id'), ['demand_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_demand_vote_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_demand_vote_workshop_id'), ['workshop_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('demand_vote', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_demand_vote_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_demand_vote_participant_id'))
        batch_op.drop_index(batch_op.f('ix_demand_vote_demand_id'))

    op.drop_table('demand_vote')
    with op.batch_alter_table('demand', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_demand_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_demand_participant_id'))
        batch_op.drop_index(batch_op.f('ix_demand_merged_into_id'))

    op.drop_table('demand')
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participant_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_participant_token_hash'))

    op.drop_table('participant')
    with op.batch_alter_table('moderation_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_moderation_event_workshop_id'))

    op.drop_table('moderation_event')
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_join_code'))

    op.drop_table('workshop')
