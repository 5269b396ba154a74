"""call now: a phone number on staff accounts, and the call-now attempts

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone_number', sa.String(length=20), nullable=True))

    op.create_table('call_now_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('referral_id', sa.Integer(), nullable=True),
    sa.Column('enquiry_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('call_sid', sa.String(length=64), nullable=True),
    sa.Column('outcome', sa.String(length=24), nullable=True),
    sa.Column('dial_status', sa.String(length=32), nullable=True),
    sa.Column('dial_seconds', sa.Integer(), nullable=True),
    sa.Column('callback_attempt_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['callback_attempt_id'], ['callback_attempts.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['enquiry_id'], ['enquiries.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['referral_id'], ['referrals.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('call_now_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_now_attempts_enquiry_id'), ['enquiry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_call_now_attempts_referral_id'), ['referral_id'], unique=False)


def downgrade():
    with op.batch_alter_table('call_now_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_call_now_attempts_referral_id'))
        batch_op.drop_index(batch_op.f('ix_call_now_attempts_enquiry_id'))
    op.drop_table('call_now_attempts')
    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.drop_column('phone_number')
