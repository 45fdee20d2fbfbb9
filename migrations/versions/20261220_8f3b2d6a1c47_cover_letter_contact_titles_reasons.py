"""cover letter: a user's title, each region's reason for its ranking, the joint
submission's contact person

Revision ID: 8f3b2d6a1c47
Revises: 5e7a1c3b9d24
Create Date: 2026-12-20 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8f3b2d6a1c47'
down_revision = '5e7a1c3b9d24'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title', sa.String(length=200), nullable=True))
    with op.batch_alter_table('region_round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ranking_reason', sa.Text(), server_default='',
                                      nullable=False))
    with op.batch_alter_table('national_list', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_name', sa.String(length=200), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('contact_title', sa.String(length=200), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('contact_email', sa.String(length=254), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('contact_phone', sa.String(length=40), server_default='',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('national_list', schema=None) as batch_op:
        batch_op.drop_column('contact_phone')
        batch_op.drop_column('contact_email')
        batch_op.drop_column('contact_title')
        batch_op.drop_column('contact_name')
    with op.batch_alter_table('region_round', schema=None) as batch_op:
        batch_op.drop_column('ranking_reason')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('title')
