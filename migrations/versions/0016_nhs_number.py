"""nhs number: the referral's NHS number and where it came from ('pds': found by a staff search of NHS England's
Personal Demographics Service, not yet verified by staff)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 18:20:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('nhs_number', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('nhs_number_source', sa.String(length=16), nullable=True))
        batch_op.create_index('ix_referrals_nhs_number', ['nhs_number'], unique=False)  # possible duplicates


def downgrade():
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.drop_index('ix_referrals_nhs_number')
        batch_op.drop_column('nhs_number_source')
        batch_op.drop_column('nhs_number')
