"""language: the language a caller chose at the main menu (a Twilio language tag, 'pl-PL'; none: English), on the
referral or enquiry the call made (issue 26)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 19:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    for table in ('referrals', 'enquiries'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('language', sa.String(length=16), nullable=True))


def downgrade():
    for table in ('referrals', 'enquiries'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('language')
