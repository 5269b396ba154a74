"""verified staff phones and where audit events came from: a staff phone is unverified until the code
texted to it is entered (only the code's hash kept, with when it was sent and how many tries it had),
and every audit event made in a request keeps the client's address and browser

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 03:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    # Numbers already stored were never verified: they stay unverified (Call now refused) until their owner
    # enters a texted code on My account, or an admin sets them again with `flask staff set-phone`.
    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone_verified_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('phone_code_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('phone_code_sent_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('phone_code_tries', sa.Integer(), nullable=False, server_default='0'))
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('address', sa.String(length=45), nullable=True))
        batch_op.add_column(sa.Column('browser', sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_column('browser')
        batch_op.drop_column('address')
    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.drop_column('phone_code_tries')
        batch_op.drop_column('phone_code_sent_at')
        batch_op.drop_column('phone_code_hash')
        batch_op.drop_column('phone_verified_at')
