"""saved searches, digest items, unsubscribe links, weekly project alerts

Revision ID: f3c8ff9e87a1
Revises: 5be3671ab68c
Create Date: 2026-11-26 06:39:23.553408

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f3c8ff9e87a1'
down_revision = '5be3671ab68c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('digest_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_digest_items_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_digest_items'))
    )
    with op.batch_alter_table('digest_items', schema=None) as batch_op:
        batch_op.create_index('ix_digest_items_pending', ['sent_at', 'user_id'], unique=False)

    op.create_table('saved_searches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('query_string', sa.String(length=2000), nullable=False),
    sa.Column('frequency', sa.String(length=8), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_saved_searches_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_searches'))
    )
    with op.batch_alter_table('saved_searches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saved_searches_user_id'), ['user_id'], unique=False)

    op.create_table('saved_search_seen',
    sa.Column('saved_search_id', sa.Integer(), nullable=False),
    sa.Column('expert_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['expert_id'], ['expert_profiles.id'], name=op.f('fk_saved_search_seen_expert_id_expert_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['saved_search_id'], ['saved_searches.id'], name=op.f('fk_saved_search_seen_saved_search_id_saved_searches'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('saved_search_id', 'expert_id', name=op.f('pk_saved_search_seen'))
    )
    with op.batch_alter_table('saved_search_seen', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saved_search_seen_expert_id'), ['expert_id'], unique=False)

    with op.batch_alter_table('expert_profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('alert_frequency', sa.String(length=8), nullable=False, server_default='instant'))

    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unsubscribe_url', sa.String(length=1000), nullable=True))



def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('unsubscribe_url')

    with op.batch_alter_table('expert_profiles', schema=None) as batch_op:
        batch_op.drop_column('alert_frequency')

    with op.batch_alter_table('saved_search_seen', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_search_seen_expert_id'))

    op.drop_table('saved_search_seen')
    with op.batch_alter_table('saved_searches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_searches_user_id'))

    op.drop_table('saved_searches')
    with op.batch_alter_table('digest_items', schema=None) as batch_op:
        batch_op.drop_index('ix_digest_items_pending')

    op.drop_table('digest_items')
