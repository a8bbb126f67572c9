"""capacity and dates: projects may start later (flexible_start), experts' on-site windows in
Morocco, and suggestions an applied allocation put first (matches.prioritised_at)

Revision ID: e4c1a9d27b53
Revises: e4b9c2d7a1f3
Create Date: 2026-11-26 07:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e4c1a9d27b53'
down_revision = 'e4b9c2d7a1f3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('flexible_start', sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table('matches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prioritised_at', sa.DateTime(), nullable=True))
    op.create_table(
        'on_site_windows',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('expert_id', sa.Integer(), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=False),
        sa.Column('city', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ['expert_id'], ['expert_profiles.id'],
            name=op.f('fk_on_site_windows_expert_id_expert_profiles'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_on_site_windows')),
    )
    with op.batch_alter_table('on_site_windows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_on_site_windows_expert_id'), ['expert_id'], unique=False)


def downgrade():
    with op.batch_alter_table('on_site_windows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_on_site_windows_expert_id'))
    op.drop_table('on_site_windows')
    with op.batch_alter_table('matches', schema=None) as batch_op:
        batch_op.drop_column('prioritised_at')
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_column('flexible_start')
