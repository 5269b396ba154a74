"""communication needs first: an interpreter and its language, and a call through Relay UK, on referrals and
enquiries

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

TABLES = ('referrals', 'enquiries')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('interpreter', sa.Boolean(), nullable=True))
            batch_op.add_column(sa.Column('interpreter_language', sa.String(length=40), nullable=True))
            batch_op.add_column(sa.Column('relay_uk', sa.Boolean(), nullable=True))


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('relay_uk')
            batch_op.drop_column('interpreter_language')
            batch_op.drop_column('interpreter')
