"""console ops: work-order notification state, first view by the judge, closing note

Revision ID: 0005_console_ops
Revises: 0004_console_sessions
Create Date: 2026-12-02 05:00:00.000000
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005_console_ops'
down_revision: str | None = '0005_console_ui'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('work_orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notify_state', sa.String(length=10), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('notified_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('seen_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('close_note', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('work_orders', schema=None) as batch_op:
        batch_op.drop_column('close_note')
        batch_op.drop_column('seen_at')
        batch_op.drop_column('notified_at')
        batch_op.drop_column('notify_state')
