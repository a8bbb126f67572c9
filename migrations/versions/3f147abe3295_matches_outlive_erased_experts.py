"""matches outlive erased experts: expert_id nullable, ON DELETE SET NULL

Revision ID: 3f147abe3295
Revises: 35bbc809bc4e
Create Date: 2026-11-24 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3f147abe3295'
down_revision = '35bbc809bc4e'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('matches', schema=None) as batch_op:
        batch_op.drop_constraint('fk_matches_expert_id_expert_profiles', type_='foreignkey')
        batch_op.alter_column('expert_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_foreign_key(
            'fk_matches_expert_id_expert_profiles', 'expert_profiles', ['expert_id'], ['id'],
            ondelete='SET NULL',
        )


def downgrade():
    # The old schema cannot hold a match without its expert: the anonymous facts of erased
    # experts' collaborations are lost on the way down.
    op.execute("DELETE FROM matches WHERE expert_id IS NULL")
    with op.batch_alter_table('matches', schema=None) as batch_op:
        batch_op.drop_constraint('fk_matches_expert_id_expert_profiles', type_='foreignkey')
        batch_op.alter_column('expert_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(
            'fk_matches_expert_id_expert_profiles', 'expert_profiles', ['expert_id'], ['id'],
            ondelete='CASCADE',
        )
