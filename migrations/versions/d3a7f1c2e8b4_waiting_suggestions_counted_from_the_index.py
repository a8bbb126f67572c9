"""waiting suggestions counted from the index (ix_matches_status_project INCLUDE created_at...)

Revision ID: d3a7f1c2e8b4
Revises: c9dbce3f1860
Create Date: 2026-11-26 04:20:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd3a7f1c2e8b4'
down_revision = 'c9dbce3f1860'
branch_labels = None
depends_on = None


def upgrade():
    # The queue's size and age, and the floors rescoring compares with, read these columns of
    # every waiting suggestion: from the index alone, not from rows of a few kilobytes each
    # (their explanations). SQLite ignores INCLUDE.
    with op.batch_alter_table('matches', schema=None) as batch_op:
        batch_op.drop_index('ix_matches_status_project')
        batch_op.create_index(
            'ix_matches_status_project', ['status', 'project_id'], unique=False,
            postgresql_include=['created_at', 'score', 'source'],
        )


def downgrade():
    with op.batch_alter_table('matches', schema=None) as batch_op:
        batch_op.drop_index('ix_matches_status_project')
        batch_op.create_index('ix_matches_status_project', ['status', 'project_id'], unique=False)
