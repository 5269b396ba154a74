"""safety and communication: why and where a referral was flagged urgent, communication needs,
what a caller gave for a callback number, and whether an existing patient is happy with a voicemail

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('callback_said', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('urgent_reason', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('urgent_step', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('communication_help', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('communication_needs', sa.Text(), nullable=True))
    with op.batch_alter_table('enquiries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('callback_said', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('voicemail_ok', sa.Boolean(), nullable=True))


def downgrade():
    with op.batch_alter_table('enquiries', schema=None) as batch_op:
        batch_op.drop_column('voicemail_ok')
        batch_op.drop_column('callback_said')
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.drop_column('communication_needs')
        batch_op.drop_column('communication_help')
        batch_op.drop_column('urgent_step')
        batch_op.drop_column('urgent_reason')
        batch_op.drop_column('callback_said')
