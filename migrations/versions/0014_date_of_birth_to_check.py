"""date of birth to check: what a caller said when no date of birth was taken, whether they said they are 16 or
over, and the marker staff work from (as practice_to_check)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('date_of_birth_said', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('date_of_birth_to_check', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('sixteen_or_over', sa.Boolean(), nullable=True))


def downgrade():
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.drop_column('sixteen_or_over')
        batch_op.drop_column('date_of_birth_to_check')
        batch_op.drop_column('date_of_birth_said')
