"""pdf conversion: an application as PDF, made by LibreOffice outside the request

Revision ID: 7d3f9a41c6e2
Revises: 8f3b2d6a1c47
Create Date: 2026-12-02 20:00:00

"""
from alembic import op
import sqlalchemy as sa

import soknad.models.types  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = '7d3f9a41c6e2'
down_revision = '8f3b2d6a1c47'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pdf_conversion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('requested_at', soknad.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('claimed_at', soknad.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', soknad.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'],
                            name=op.f('fk_pdf_conversion_application_id_application')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user_account.id'],
                            name=op.f('fk_pdf_conversion_requested_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pdf_conversion')),
    sa.UniqueConstraint('application_id', 'source',
                        name=op.f('uq_pdf_conversion_application_id'))
    )
    with op.batch_alter_table('pdf_conversion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pdf_conversion_application_id'), ['application_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_pdf_conversion_state'), ['state'], unique=False)


def downgrade():
    with op.batch_alter_table('pdf_conversion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pdf_conversion_state'))
        batch_op.drop_index(batch_op.f('ix_pdf_conversion_application_id'))
    op.drop_table('pdf_conversion')
