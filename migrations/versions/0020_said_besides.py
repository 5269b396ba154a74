"""said besides: sentences the line offered help now after (not read as an answer, or heard besides one), on
referrals and enquiries, and the words of flows/risk.yaml's `to_check:` in them; staff see those first after the
urgent ones

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-08 01:40:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

TABLES = ('referrals', 'enquiries')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('said_besides', sa.Text(), nullable=True))
            batch_op.add_column(sa.Column('said_besides_to_check', sa.String(length=200), nullable=True))


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('said_besides_to_check')
            batch_op.drop_column('said_besides')
