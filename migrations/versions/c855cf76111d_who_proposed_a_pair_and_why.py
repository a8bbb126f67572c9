"""matches remember who proposed a pair and why (an institution from a search, an expert
interested in a project)

Revision ID: c855cf76111d
Revises: 9b4e2a7c1d05
Create Date: 2026-11-26 02:16:20.200930

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c855cf76111d'
down_revision = '9b4e2a7c1d05'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('matches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('proposed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('proposal_note', sa.Text(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_matches_proposed_by_id_users'), 'users', ['proposed_by_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('matches', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_matches_proposed_by_id_users'), type_='foreignkey')
        batch_op.drop_column('proposal_note')
        batch_op.drop_column('proposed_by_id')

