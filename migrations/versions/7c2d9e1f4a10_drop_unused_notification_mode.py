"""drop users.notification_mode: the weekly-digest choice no message ever followed

Revision ID: 7c2d9e1f4a10
Revises: 41e6ca0634b1
Create Date: 2026-11-25 20:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c2d9e1f4a10'
down_revision = '41e6ca0634b1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('notification_mode')


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notification_mode', sa.String(length=16), nullable=False,
                                      server_default='immediate'))
