"""The registry as the service's life: a status, the day a termination takes effect, former
names and a history of decisions per national service; the day a decided termination takes
effect. Imported services whose published description says «Tjenesten er avviklet f.o.m. …»
are marked terminated from that day, with a history line that says where it came from.

Revision ID: e4c2a9f1b7d3
Revises: 4c2e8b7f1a90
Create Date: 2026-12-24 09:00:00

"""
import re
from datetime import date

from alembic import op
import sqlalchemy as sa

import soknad.models.types  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = 'e4c2a9f1b7d3'
down_revision = '4c2e8b7f1a90'
branch_labels = None
depends_on = None

_service = sa.table(
    'national_service', sa.column('id', sa.Integer), sa.column('description', sa.Text),
    sa.column('source', sa.String), sa.column('status', sa.String),
    sa.column('terminated_from', sa.Date))
_event = sa.table(
    'national_service_event', sa.column('service_id', sa.Integer), sa.column('day', sa.Date),
    sa.column('kind', sa.String), sa.column('summary', sa.Text),
    sa.column('created_at', soknad.models.types.UTCDateTime(timezone=True)))


def upgrade():
    with op.batch_alter_table('national_service', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'status', sa.Enum('aktiv', 'avviklet', name='national_service_status',
                              native_enum=False, create_constraint=True, length=20),
            server_default='aktiv', nullable=False))
        batch_op.add_column(sa.Column('terminated_from', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('former_names', sa.JSON(), server_default='[]',
                                      nullable=False))
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('terminated_from', sa.Date(), nullable=True))
    op.create_table('national_service_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.Enum('etablering', 'endring_innhold', 'endring_navn', 'avvikling',
                              name='national_service_event_kind', native_enum=False,
                              create_constraint=True, length=20), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=True),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.Column('created_at', soknad.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_national_service_event_application_id_application')),
    sa.ForeignKeyConstraint(['decision_id'], ['decision.id'], name=op.f('fk_national_service_event_decision_id_decision')),
    sa.ForeignKeyConstraint(['service_id'], ['national_service.id'], name=op.f('fk_national_service_event_service_id_national_service')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_national_service_event'))
    )
    with op.batch_alter_table('national_service_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_national_service_event_service_id'), ['service_id'], unique=False)
    _mark_published_terminations()


def _mark_published_terminations():
    """«Tjenesten er avviklet f.o.m. 1. januar 2019» in an imported description: terminated."""
    connection = op.get_bind()
    rows = connection.execute(sa.select(_service.c.id, _service.c.description).where(
        _service.c.source == 'vedlegg')).all()
    for service_id, description in rows:
        day = published_termination(description or '')
        if day is None:
            continue
        connection.execute(_service.update().where(_service.c.id == service_id).values(
            status='avviklet', terminated_from=day))
        connection.execute(_event.insert().values(
            service_id=service_id, day=day, kind='avvikling',
            summary='Avviklet ifølge den publiserte oversikten over nasjonale tjenester.',
            created_at=sa.func.current_timestamp()))


# Frozen copy of ``soknad.domain.lifecycle.published_termination`` as of this revision.
_TERMINATED_RE = re.compile(
    r"avviklet\s+f\.?\s*o\.?\s*m\.?\s+(\d{1,2})\.\s*([a-zæøå]+)\s+(\d{4})", re.IGNORECASE)
_MONTHS = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september",
           "oktober", "november", "desember")


def published_termination(description):
    found = _TERMINATED_RE.search(description)
    if not found or found.group(2).lower() not in _MONTHS:
        return None
    try:
        return date(int(found.group(3)), _MONTHS.index(found.group(2).lower()) + 1,
                    int(found.group(1)))
    except ValueError:
        return None


def downgrade():
    with op.batch_alter_table('national_service_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_national_service_event_service_id'))
    op.drop_table('national_service_event')
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_column('terminated_from')
    with op.batch_alter_table('national_service', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_national_service_national_service_status'),
                                 type_='check')
        batch_op.drop_column('former_names')
        batch_op.drop_column('terminated_from')
        batch_op.drop_column('status')
