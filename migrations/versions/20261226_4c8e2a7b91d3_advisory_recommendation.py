"""Rådgivingsgruppen's recommendation per application, recorded before a decision

Revision ID: 4c8e2a7b91d3
Revises: e4c2a9f1b7d3
Create Date: 2026-12-24 09:00:00

"""
from alembic import op
import sqlalchemy as sa

import soknad.models.types  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = '4c8e2a7b91d3'
down_revision = 'e4c2a9f1b7d3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('advisory_recommendation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('recommendation', sa.String(length=20), nullable=False),
    sa.Column('meeting_date', sa.Date(), nullable=False),
    sa.Column('justification', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', soknad.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("recommendation IN ('approved', 'rejected', 'postponed')", name=op.f('ck_advisory_recommendation_recommendation')),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_advisory_recommendation_application_id_application')),
    sa.ForeignKeyConstraint(['decision_id'], ['decision.id'], name=op.f('fk_advisory_recommendation_decision_id_decision')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_advisory_recommendation_recorded_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_advisory_recommendation'))
    )
    with op.batch_alter_table('advisory_recommendation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_advisory_recommendation_application_id'), ['application_id'], unique=False)


def downgrade():
    with op.batch_alter_table('advisory_recommendation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_advisory_recommendation_application_id'))
    op.drop_table('advisory_recommendation')
