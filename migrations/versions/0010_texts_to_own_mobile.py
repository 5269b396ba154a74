"""texts to the caller's own mobile: whether the caller said a keyed number is their own mobile, and the outbox
looked up by number (at most one text receipt a number a day)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 03:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('own_mobile_confirmed', sa.Boolean(), nullable=True))
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_to_number'), ['to_number'], unique=False)


def downgrade():
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_to_number'))
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.drop_column('own_mobile_confirmed')
