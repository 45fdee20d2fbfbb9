"""decision letters' contact person and signatory; the day a national service was established

Existing decisions keep empty contact and signatory fields (their letters say nothing about
them, as before); existing services have no establishment date. Approvals recorded before this
revision had their «established by» and term end counted from the day the decision was typed;
they are recounted by the one rule of ``soknad.domain.decisions`` (from the day the approval
takes effect), in the decision and in the registry.

Revision ID: b3e91f6c2a70
Revises: 7d3f9a41c6e2
Create Date: 2026-12-21 10:00:00

"""
from datetime import date, timedelta

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
    _recount_approvals()


def _period_end(start, years):
    """As ``soknad.domain.decisions.period_end`` (copied: a migration does not import the app)."""
    try:
        later = start.replace(year=start.year + years)
    except ValueError:
        later = start.replace(year=start.year + years, day=28)
    return later - timedelta(days=1)


def _as_date(value):
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _recount_approvals():
    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT id, application_id, effective_from, term_years FROM decision "
        "WHERE kind = 'approved' AND effective_from IS NOT NULL")).all()
    for decision_id, application_id, effective, years in rows:
        start = _as_date(effective)
        establish_by = _period_end(start, 1)
        term_ends = _period_end(start, years) if years else None
        connection.execute(sa.text(
            "UPDATE decision SET establish_by = :establish_by, term_ends = :term_ends "
            "WHERE id = :id"), {"establish_by": establish_by, "term_ends": term_ends,
                                 "id": decision_id})
        connection.execute(sa.text(
            "UPDATE national_service SET establish_by = :establish_by, term_ends = :term_ends "
            "WHERE application_id = :application_id AND source = 'vedtak'"),
            {"establish_by": establish_by, "term_ends": term_ends,
             "application_id": application_id})


def downgrade():
    with op.batch_alter_table('national_service', schema=None) as batch_op:
        batch_op.drop_column('established_on')
    with op.batch_alter_table('decision', schema=None) as batch_op:
        for name, _ in reversed(_PEOPLE):
            batch_op.drop_column(name)
