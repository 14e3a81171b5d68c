"""follow-up sessions: the link to the session followed up, and what is carried from it

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-26

A workshop may follow up an earlier one (`workshop.predecessor_id`, unique: one follow-up each, so the chain
is a line). What a follow-up carries is marked as history: a demand's votes last session
(`demand.carried_votes`), a chosen initiative's ratings and votes there (`initiative_history`), an action's
status and due date there and the room's review of it (`action.carried_status`, `carried_due`, `review`,
`review_reason`), and the self-check runs it was given as a baseline (`selfcheck_run.baseline`).

Existing workshops follow up nothing and carry nothing: every new column is empty (NULL, or false).
"""

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.add_column(sa.Column('predecessor_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_workshop_predecessor_id'), ['predecessor_id'], unique=True)
        batch_op.create_foreign_key('fk_workshop_predecessor_id_workshop', 'workshop', ['predecessor_id'], ['id'])
    with op.batch_alter_table('demand', schema=None) as batch_op:
        batch_op.add_column(sa.Column('carried_votes', sa.Integer(), nullable=True))
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.add_column(sa.Column('carried_status', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('carried_due', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('review', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('review_reason', sa.String(length=300), nullable=True))
    with op.batch_alter_table('selfcheck_run', schema=None) as batch_op:
        batch_op.add_column(sa.Column('baseline', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('selfcheck_run', schema=None) as batch_op:
        batch_op.alter_column('baseline', server_default=None)
    op.create_table(
        'initiative_history',
        sa.Column('initiative_id', sa.Integer(), nullable=False),
        sa.Column('votes', sa.Integer(), nullable=False),
        sa.Column('customer_median', sa.Float(), nullable=True),
        sa.Column('customer_spread', sa.Float(), nullable=True),
        sa.Column('customer_n', sa.Integer(), nullable=False),
        sa.Column('company_median', sa.Float(), nullable=True),
        sa.Column('company_spread', sa.Float(), nullable=True),
        sa.Column('company_n', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['initiative_id'], ['initiative.id'], ),
        sa.PrimaryKeyConstraint('initiative_id'),
    )


def downgrade() -> None:
    op.drop_table('initiative_history')
    with op.batch_alter_table('selfcheck_run', schema=None) as batch_op:
        batch_op.drop_column('baseline')
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.drop_column('review_reason')
        batch_op.drop_column('review')
        batch_op.drop_column('carried_due')
        batch_op.drop_column('carried_status')
    with op.batch_alter_table('demand', schema=None) as batch_op:
        batch_op.drop_column('carried_votes')
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.drop_constraint('fk_workshop_predecessor_id_workshop', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_workshop_predecessor_id'))
        batch_op.drop_column('predecessor_id')
