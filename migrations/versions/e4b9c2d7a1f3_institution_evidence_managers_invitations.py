"""institution evidence and review note, member roles, evidence letters, member invitations

Revision ID: e4b9c2d7a1f3
Revises: f3c8ff9e87a1
Create Date: 2026-11-27 09:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e4b9c2d7a1f3'
down_revision = 'f3c8ff9e87a1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('institutions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('evidence', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('refused_at', sa.DateTime(), nullable=True))
        batch_op.add_column(
            sa.Column('review_note', sa.Text(), nullable=False, server_default='')
        )
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('role', sa.String(length=16), nullable=False, server_default='member')
        )
    # Every institution keeps a manager: its earliest member, who registered it.
    op.execute(
        "UPDATE memberships SET role = 'manager' WHERE id IN "
        "(SELECT MIN(id) FROM memberships GROUP BY institution_id)"
    )
    op.create_table(
        'institution_letters',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('institution_id', sa.Integer(), nullable=False),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('uploaded_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['institution_id'], ['institutions.id'],
            name=op.f('fk_institution_letters_institution_id_institutions'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['uploaded_by_id'], ['users.id'],
            name=op.f('fk_institution_letters_uploaded_by_id_users'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_institution_letters')),
        sa.UniqueConstraint('institution_id', name=op.f('uq_institution_letters_institution_id')),
    )
    op.create_table(
        'member_invitations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('institution_id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('invited_by_id', sa.Integer(), nullable=True),
        sa.Column('joined_by_id', sa.Integer(), nullable=True),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.Column('answered_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ['institution_id'], ['institutions.id'],
            name=op.f('fk_member_invitations_institution_id_institutions'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['invited_by_id'], ['users.id'],
            name=op.f('fk_member_invitations_invited_by_id_users'), ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['joined_by_id'], ['users.id'],
            name=op.f('fk_member_invitations_joined_by_id_users'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_member_invitations')),
    )
    with op.batch_alter_table('member_invitations', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_member_invitations_institution_id'), ['institution_id'], unique=False
        )


def downgrade():
    with op.batch_alter_table('member_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_member_invitations_institution_id'))
    op.drop_table('member_invitations')
    op.drop_table('institution_letters')
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_column('role')
    with op.batch_alter_table('institutions', schema=None) as batch_op:
        batch_op.drop_column('review_note')
        batch_op.drop_column('refused_at')
        batch_op.drop_column('evidence')
