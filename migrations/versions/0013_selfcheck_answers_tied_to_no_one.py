"""self-check answers tied to no one

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-25

Self-check answers were stored with the participant's id and a timestamp, so anyone holding the
database could tie an "anonymous" answer to a name. They now carry a respondent key that only the
participant's own rejoin token derives (HMAC-SHA256 of the token and the run; the server keeps only
a hash of tokens), and no timestamp.

Existing answers: the token behind them is not stored anywhere, so no such key can be computed for
them. Each participant's answers in a run get one fresh random key instead: the results (counts,
means, how many respondents rated most areas "doing great") stay exactly as they were, and the link
to the person is gone. A participant could no longer find and change their answers in a run left
open, and a new answer would count them twice, so runs still open are closed (the facilitator can
open a new run; live screens are told through the workshop's change counters).

On SQLite the old table's pages are zeroed as it is dropped (secure_delete), so the links do not
linger in the file; on PostgreSQL the dropped table's files are deleted.

Downgrade: the old table needs a participant for every answer, and none is known any more, so the
downgrade keeps the runs and drops their answers.
"""

import secrets
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    old = bind.execute(sa.text("SELECT run_id, participant_id, area, level FROM selfcheck_rating")).all()
    bind.execute(sa.text("UPDATE workshop SET revision = revision + 1, room_revision = room_revision + 1 WHERE id IN"
                         " (SELECT workshop_id FROM selfcheck_run WHERE closed_at IS NULL)"))
    bind.execute(sa.text("UPDATE selfcheck_run SET closed_at = :now WHERE closed_at IS NULL"),
                 {"now": datetime.now(UTC)})
    if bind.dialect.name == "sqlite":  # the dropped rows' pages are zeroed, not left readable in the file
        bind.exec_driver_sql("PRAGMA secure_delete = ON")
    op.drop_table('selfcheck_rating')
    table = op.create_table(
        'selfcheck_rating',
        sa.Column('run_id', sa.Integer(), nullable=False),
        sa.Column('respondent', sa.String(length=64), nullable=False),
        sa.Column('area', sa.String(length=32), nullable=False),
        sa.Column('level', sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(['run_id'], ['selfcheck_run.id'], ),
        sa.PrimaryKeyConstraint('run_id', 'respondent', 'area'),
        sqlite_with_rowid=False,
    )
    keys = {(run, person): secrets.token_hex(32) for run, person, _, _ in old}
    if old:
        op.bulk_insert(table, [{"run_id": run, "respondent": keys[run, person], "area": area, "level": level}
                               for run, person, area, level in old])


def downgrade() -> None:
    op.drop_table('selfcheck_rating')
    op.create_table(
        'selfcheck_rating',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('run_id', sa.Integer(), nullable=False),
        sa.Column('participant_id', sa.Integer(), nullable=False),
        sa.Column('area', sa.String(length=32), nullable=False),
        sa.Column('level', sa.String(length=16), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], ),
        sa.ForeignKeyConstraint(['run_id'], ['selfcheck_run.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('run_id', 'participant_id', 'area'),
    )
    with op.batch_alter_table('selfcheck_rating', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_selfcheck_rating_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_selfcheck_rating_run_id'), ['run_id'], unique=False)
