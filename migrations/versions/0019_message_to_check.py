"""message to check: an existing patient's message the risk model heard nothing in, but with words of
flows/risk.yaml's `to_check:` (kept), or with no transcript to hear; staff listen to it next after the urgent ones

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 22:30:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('enquiries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('message_to_check', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('to_check_words', sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table('enquiries', schema=None) as batch_op:
        batch_op.drop_column('to_check_words')
        batch_op.drop_column('message_to_check')
