"""contests: a person's request for a human review of a decision about a match; audit
entries found by their subject

Revision ID: a7d4c19e5b20
Revises: e4c1a9d27b53
Create Date: 2026-11-26 07:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7d4c19e5b20'
down_revision = 'e4c1a9d27b53'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('contests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('match_id', sa.Integer(), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=False),
    sa.Column('contested_status', sa.String(length=16), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('deadline', sa.DateTime(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_contests_answered_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['match_id'], ['matches.id'], name=op.f('fk_contests_match_id_matches'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], name=op.f('fk_contests_opened_by_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contests'))
    )
    with op.batch_alter_table('contests', schema=None) as batch_op:
        batch_op.create_index('ix_contests_answered_at_deadline', ['answered_at', 'deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_contests_match_id'), ['match_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contests_opened_by_id'), ['opened_by_id'], unique=False)
        batch_op.create_index('uq_contests_open_match', ['match_id'], unique=True, postgresql_where=sa.text('answered_at IS NULL'), sqlite_where=sa.text('answered_at IS NULL'))

    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entries_subject', ['subject_type', 'subject_id'], unique=False)


def downgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entries_subject')

    with op.batch_alter_table('contests', schema=None) as batch_op:
        batch_op.drop_index('uq_contests_open_match', postgresql_where=sa.text('answered_at IS NULL'), sqlite_where=sa.text('answered_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_contests_opened_by_id'))
        batch_op.drop_index(batch_op.f('ix_contests_match_id'))
        batch_op.drop_index('ix_contests_answered_at_deadline')

    op.drop_table('contests')
