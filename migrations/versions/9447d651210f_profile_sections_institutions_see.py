"""experts choose the profile sections verified institutions see

Revision ID: 9447d651210f
Revises: c855cf76111d
Create Date: 2026-11-26 03:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9447d651210f'
down_revision = 'c855cf76111d'
branch_labels = None
depends_on = None


def upgrade():
    # Every existing profile keeps showing every section, as before.
    with op.batch_alter_table('expert_profiles', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('hidden_sections', sa.JSON(), nullable=False, server_default='[]')
        )


def downgrade():
    with op.batch_alter_table('expert_profiles', schema=None) as batch_op:
        batch_op.drop_column('hidden_sections')
