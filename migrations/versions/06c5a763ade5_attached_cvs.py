"""CV files that experts chose to attach to their profile

Revision ID: 06c5a763ade5
Revises: 9447d651210f
Create Date: 2026-11-26 02:41:47.318494

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '06c5a763ade5'
down_revision = '9447d651210f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'attached_cvs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('uploaded_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_attached_cvs_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_attached_cvs')),
        sa.UniqueConstraint('user_id', name=op.f('uq_attached_cvs_user_id')),
    )


def downgrade():
    op.drop_table('attached_cvs')
