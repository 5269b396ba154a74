"""security review: staff session versions, each call's first answer, recordings queued for deletion

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_response', sa.Text(), nullable=True))
    # A call still on its first answer has it as its last; later ones get a safe answer to a repeat instead.
    op.execute("UPDATE calls SET first_response = last_response WHERE seq = 1")
    op.create_table('recordings_to_delete',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recording_sid', sa.String(length=64), nullable=False),
    sa.Column('queued_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )


def downgrade():
    op.drop_table('recordings_to_delete')
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_column('first_response')
    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.drop_column('session_version')
