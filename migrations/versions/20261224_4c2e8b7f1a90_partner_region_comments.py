"""The partner region's comments on a multi-regional application

Revision ID: 4c2e8b7f1a90
Revises: 9d5d39c1265c
Create Date: 2026-12-24 09:00:00

"""
from alembic import op
import sqlalchemy as sa

import soknad.models.types  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = '4c2e8b7f1a90'
down_revision = '9d5d39c1265c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('partner_comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('submission_number', sa.Integer(), nullable=False),
    sa.Column('region', sa.String(length=40), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', soknad.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_partner_comment_application_id_application')),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_partner_comment_author_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_comment'))
    )
    with op.batch_alter_table('partner_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_comment_application_id'), ['application_id'], unique=False)


def downgrade():
    with op.batch_alter_table('partner_comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_comment_application_id'))
    op.drop_table('partner_comment')
