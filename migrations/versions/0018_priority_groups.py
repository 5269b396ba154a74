"""priority groups: Derbyshire's local priorities asked on the call (pregnant or with a baby under one; served in the
armed forces), each None when not asked or not answered

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 21:10:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pregnant_or_baby_under_one', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('ex_forces', sa.Boolean(), nullable=True))


def downgrade():
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.drop_column('ex_forces')
        batch_op.drop_column('pregnant_or_baby_under_one')
