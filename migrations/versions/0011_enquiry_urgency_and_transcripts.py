"""enquiry urgency and transcripts: an existing patient's enquiry can be flagged urgent (why, where and the words
said), and its recorded message's transcript from Twilio is kept with the transcription's status

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 05:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('enquiries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('urgent', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('urgent_reason', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('urgent_step', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('urgent_words', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('message_transcript', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('transcription_status', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('transcription_sid', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_enquiries_urgent'), ['urgent'], unique=False)


def downgrade():
    with op.batch_alter_table('enquiries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enquiries_urgent'))
        batch_op.drop_column('transcription_sid')
        batch_op.drop_column('transcription_status')
        batch_op.drop_column('message_transcript')
        batch_op.drop_column('urgent_words')
        batch_op.drop_column('urgent_step')
        batch_op.drop_column('urgent_reason')
        batch_op.drop_column('urgent')
