"""experts choose the score from which a newly published project is emailed to them

Revision ID: c9dbce3f1860
Revises: 06c5a763ade5
Create Date: 2026-11-26 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c9dbce3f1860'
down_revision = '06c5a763ade5'
branch_labels = None
depends_on = None


def upgrade():
    # Existing experts get the default of new ones (diaspora.models.experts); NULL is "off".
    with op.batch_alter_table('expert_profiles', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('alert_min_score', sa.Integer(), nullable=True, server_default='70')
        )


def downgrade():
    with op.batch_alter_table('expert_profiles', schema=None) as batch_op:
        batch_op.drop_column('alert_min_score')
