"""decision letters' contact person and signatory; the day a national service was established

Existing decisions keep empty contact and signatory fields (their letters say nothing about
them, as before); existing services have no establishment date.

Revision ID: b3e91f6c2a70
Revises: 7d3f9a41c6e2
Create Date: 2026-12-21 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3e91f6c2a70'
down_revision = '7d3f9a41c6e2'
branch_labels = None
depends_on = None

_PEOPLE = [('contact_name', 200), ('contact_email', 254), ('contact_phone', 40),
           ('signatory_name', 200), ('signatory_title', 200)]


def upgrade():
    with op.batch_alter_table('decision', schema=None) as batch_op:
        for name, length in _PEOPLE:
            batch_op.add_column(sa.Column(name, sa.String(length=length), server_default='',
                                          nullable=False))
    with op.batch_alter_table('national_service', schema=None) as batch_op:
        batch_op.add_column(sa.Column('established_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('national_service', schema=None) as batch_op:
        batch_op.drop_column('established_on')
    with op.batch_alter_table('decision', schema=None) as batch_op:
        for name, _ in reversed(_PEOPLE):
            batch_op.drop_column(name)
