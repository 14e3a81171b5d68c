"""initiatives, ratings, initiative votes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('initiative',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('customer_value', sa.String(length=500), nullable=False),
    sa.Column('company_value', sa.String(length=500), nullable=False),
    sa.Column('effort', sa.String(length=1), nullable=True),
    sa.Column('answers_no_demand', sa.Boolean(), nullable=False),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['merged_into_id'], ['initiative.id'], ),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], ),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('initiative', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_initiative_merged_into_id'), ['merged_into_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_initiative_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_initiative_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('initiative_area',
    sa.Column('initiative_id', sa.Integer(), nullable=False),
    sa.Column('area', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiative.id'], ),
    sa.PrimaryKeyConstraint('initiative_id', 'area')
    )
    op.create_table('initiative_demand',
    sa.Column('initiative_id', sa.Integer(), nullable=False),
    sa.Column('demand_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['demand_id'], ['demand.id'], ),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiative.id'], ),
    sa.PrimaryKeyConstraint('initiative_id', 'demand_id')
    )
    with op.batch_alter_table('initiative_demand', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_initiative_demand_demand_id'), ['demand_id'], unique=False)

    op.create_table('initiative_vote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('initiative_id', sa.Integer(), nullable=False),
    sa.Column('dots', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiative.id'], ),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], ),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('participant_id', 'initiative_id')
    )
    with op.batch_alter_table('initiative_vote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_initiative_vote_initiative_id'), ['initiative_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_initiative_vote_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_initiative_vote_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('rating',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('initiative_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('axis', sa.String(length=16), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiative.id'], ),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], ),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('participant_id', 'initiative_id', 'axis')
    )
    with op.batch_alter_table('rating', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rating_initiative_id'), ['initiative_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rating_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rating_workshop_id'), ['workshop_id'], unique=False)

    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.add_column(sa.Column('results_revealed', sa.Boolean(), nullable=False, server_default=sa.false()))



def downgrade() -> None:
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.drop_column('results_revealed')

    with op.batch_alter_table('rating', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rating_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_rating_participant_id'))
        batch_op.drop_index(batch_op.f('ix_rating_initiative_id'))

    op.drop_table('rating')
    with op.batch_alter_table('initiative_vote', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_initiative_vote_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_initiative_vote_participant_id'))
        batch_op.drop_index(batch_op.f('ix_initiative_vote_initiative_id'))

    op.drop_table('initiative_vote')
    with op.batch_alter_table('initiative_demand', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_initiative_demand_demand_id'))

    op.drop_table('initiative_demand')
    op.drop_table('initiative_area')
    with op.batch_alter_table('initiative', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_initiative_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_initiative_participant_id'))
        batch_op.drop_index(batch_op.f('ix_initiative_merged_into_id'))

    op.drop_table('initiative')
