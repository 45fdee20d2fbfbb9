"""A service's history also records what Helsedirektoratet's assessment of an annual report
proposes: a change or a termination (the check on national_service_event.kind gets the two new
kinds)

Revision ID: 6a2f4d8c1e95
Revises: b0cdec443930
Create Date: 2026-12-04 19:30:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '6a2f4d8c1e95'
down_revision = 'b0cdec443930'
branch_labels = None
depends_on = None

_NAME = 'ck_national_service_event_national_service_event_kind'
_OLD = ('etablering', 'endring_innhold', 'endring_navn', 'avvikling')
_NEW = (*_OLD, 'forslag_endring', 'forslag_avvikling')


def _check(kinds: tuple[str, ...]) -> str:
    return "kind IN (" + ", ".join(f"'{kind}'" for kind in kinds) + ")"


def _replace(kinds: tuple[str, ...]) -> None:
    with op.batch_alter_table('national_service_event', schema=None) as batch_op:
        batch_op.drop_constraint(op.f(_NAME), type_='check')
        batch_op.create_check_constraint(op.f(_NAME), _check(kinds))


def upgrade():
    _replace(_NEW)


def downgrade():
    # The proposals are history lines only: they go with the kinds that name them.
    op.execute("DELETE FROM national_service_event WHERE kind IN "
               "('forslag_endring', 'forslag_avvikling')")
    _replace(_OLD)
