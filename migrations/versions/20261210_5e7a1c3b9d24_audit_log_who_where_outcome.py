"""audit log: the actor's organisation and role at the time, client address, outcome

Existing entries get the organisation and role their actor has now (the best that is known)
and the outcome "success" (no failure was logged before this revision).

Revision ID: 5e7a1c3b9d24
Revises: c4a7e2d91f03
Create Date: 2026-12-10 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e7a1c3b9d24'
down_revision = 'c4a7e2d91f03'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('actor_organisation_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('actor_role', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('address', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('outcome', sa.String(length=20), server_default='success',
                                      nullable=False))
        batch_op.create_foreign_key(
            batch_op.f('fk_audit_entry_actor_organisation_id_organisation'), 'organisation',
            ['actor_organisation_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_audit_entry_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_actor_organisation_id'),
                              ['actor_organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_action'), ['action'], unique=False)
        batch_op.create_index('ix_audit_entry_object', ['object_type', 'object_id'],
                              unique=False)
    op.execute(
        "UPDATE audit_entry SET "
        "actor_organisation_id = (SELECT organisation_id FROM user_account "
        "WHERE user_account.id = audit_entry.actor_id), "
        "actor_role = (SELECT role FROM user_account WHERE user_account.id = audit_entry.actor_id) "
        "WHERE actor_id IS NOT NULL"
    )


def downgrade():
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entry_object')
        batch_op.drop_index(batch_op.f('ix_audit_entry_action'))
        batch_op.drop_index(batch_op.f('ix_audit_entry_actor_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_audit_entry_actor_id'))
        batch_op.drop_constraint(batch_op.f('fk_audit_entry_actor_organisation_id_organisation'),
                                 type_='foreignkey')
        batch_op.drop_column('outcome')
        batch_op.drop_column('address')
        batch_op.drop_column('actor_role')
        batch_op.drop_column('actor_organisation_id')
