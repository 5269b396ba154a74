"""possible duplicates: a referral marked as maybe the same person as an earlier one, for staff to merge or
dismiss; the date of birth and callback number indexed, as the line looks them up

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 18:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'possible_duplicates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('referral_id', sa.Integer(), nullable=False),
        sa.Column('earlier_id', sa.Integer(), nullable=False),
        sa.Column('reasons', sa.String(length=80), nullable=False),
        sa.Column('found_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('resolution', sa.String(length=16), nullable=True),
        sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('resolved_by_id', sa.Integer(), nullable=True),
        sa.Column('closed_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['referral_id'], ['referrals.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['earlier_id'], ['referrals.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['resolved_by_id'], ['staff_users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['closed_id'], ['referrals.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('referral_id', 'earlier_id'),
    )
    with op.batch_alter_table('possible_duplicates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_possible_duplicates_referral_id'), ['referral_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_possible_duplicates_earlier_id'), ['earlier_id'], unique=False)
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.create_index('ix_referrals_date_of_birth', ['date_of_birth'], unique=False)
        batch_op.create_index('ix_referrals_callback_number', ['callback_number'], unique=False)


def downgrade():
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.drop_index('ix_referrals_callback_number')
        batch_op.drop_index('ix_referrals_date_of_birth')
    with op.batch_alter_table('possible_duplicates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_possible_duplicates_earlier_id'))
        batch_op.drop_index(batch_op.f('ix_possible_duplicates_referral_id'))
    op.drop_table('possible_duplicates')
