"""expert_changes (how every process keeps its matching index in step); indexes of hot queries

Revision ID: 9b4e2a7c1d05
Revises: b8e3f2a61d07
Create Date: 2026-11-25 22:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9b4e2a7c1d05'
down_revision = 'b8e3f2a61d07'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('expert_changes',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('expert_id', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_expert_changes'))
    )
    with op.batch_alter_table('matches', schema=None) as batch_op:
        # Suggestions waiting for review per project (review queue, rescoring), invitations
        # pending: by status first. It also serves every query on the status alone.
        batch_op.drop_index(batch_op.f('ix_matches_status'))
        batch_op.create_index('ix_matches_status_project', ['status', 'project_id'], unique=False)


def downgrade():
    with op.batch_alter_table('matches', schema=None) as batch_op:
        batch_op.drop_index('ix_matches_status_project')
        batch_op.create_index(batch_op.f('ix_matches_status'), ['status'], unique=False)

    op.drop_table('expert_changes')
