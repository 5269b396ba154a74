"""safety follow-ups: a disclosure's number, time, category, step and words, kept apart from the referral; and the
words on a flagged referral

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 05:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'safety_followups',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('call_id', sa.Integer(), nullable=True),
        sa.Column('caller_number', sa.String(length=32), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('category', sa.String(length=40), nullable=False),
        sa.Column('step', sa.String(length=80), nullable=False),
        sa.Column('words', sa.Text(), nullable=True),
        sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('done_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['call_id'], ['calls.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['done_by_id'], ['staff_users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('call_id'),
    )
    with op.batch_alter_table('safety_followups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_safety_followups_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_safety_followups_done_at'), ['done_at'], unique=False)
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('urgent_words', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.drop_column('urgent_words')
    with op.batch_alter_table('safety_followups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_safety_followups_done_at'))
        batch_op.drop_index(batch_op.f('ix_safety_followups_at'))
    op.drop_table('safety_followups')
