"""weight sets: factor weights learnt from reviewers' decisions, adopted by an admin

Revision ID: b1e7a3c9d542
Revises: a7d4c91e5b20
Create Date: 2026-11-26 11:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b1e7a3c9d542'
down_revision = 'a7d4c91e5b20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('weight_sets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('weights', sa.JSON(), nullable=False),
    sa.Column('measurements', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=128), nullable=False),
    sa.Column('adopted_at', sa.DateTime(), nullable=True),
    sa.Column('adopted_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['adopted_by_id'], ['users.id'], name=op.f('fk_weight_sets_adopted_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_weight_sets')),
    sa.UniqueConstraint('version', name=op.f('uq_weight_sets_version'))
    )
    with op.batch_alter_table('weight_sets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_weight_sets_status'), ['status'], unique=False)


def downgrade():
    with op.batch_alter_table('weight_sets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_weight_sets_status'))

    op.drop_table('weight_sets')
