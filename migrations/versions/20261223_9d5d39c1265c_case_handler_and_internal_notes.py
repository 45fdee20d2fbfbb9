"""Helsedirektoratet's case work: a case handler per application and joint submission, and
internal notes

Revision ID: 9d5d39c1265c
Revises: b3e91f6c2a70
Create Date: 2026-12-21 19:50:00

"""
from alembic import op
import sqlalchemy as sa

import soknad.models.types  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = '9d5d39c1265c'
down_revision = 'b3e91f6c2a70'
branch_labels = None
depends_on = None


def upgrade():
    for table in ('application', 'joint_submission'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('case_handler_id', sa.Integer(), nullable=True))
            batch_op.create_foreign_key(
                batch_op.f(f'fk_{table}_case_handler_id_user_account'), 'user_account',
                ['case_handler_id'], ['id'])
    op.create_table('case_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=True),
    sa.Column('joint_submission_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', soknad.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(application_id IS NULL) <> (joint_submission_id IS NULL)', name=op.f('ck_case_note_one_subject')),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_case_note_application_id_application')),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_case_note_author_id_user_account')),
    sa.ForeignKeyConstraint(['joint_submission_id'], ['joint_submission.id'], name=op.f('fk_case_note_joint_submission_id_joint_submission')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_note'))
    )
    with op.batch_alter_table('case_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_note_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_note_joint_submission_id'), ['joint_submission_id'], unique=False)


def downgrade():
    with op.batch_alter_table('case_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_note_joint_submission_id'))
        batch_op.drop_index(batch_op.f('ix_case_note_application_id'))
    op.drop_table('case_note')
    for table in ('joint_submission', 'application'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_case_handler_id_user_account'),
                                     type_='foreignkey')
            batch_op.drop_column('case_handler_id')
