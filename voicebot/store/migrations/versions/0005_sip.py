"""SIP line: call records name their worker, worker heartbeats, operators' SIP URIs

Revision ID: 0005_sip
Revises: 0004_console_sessions
Create Date: 2026-12-02 05:30:00.000000
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005_sip'
down_revision: str | None = '0005_console_ops'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.add_column(sa.Column('worker', sa.String(length=80), nullable=False,
                                      server_default=''))
        batch_op.create_index('ix_calls_worker', ['worker'])
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sip_uri', sa.String(length=200), nullable=False,
                                      server_default=''))
    op.create_table(
        'line_workers',
        sa.Column('name', sa.String(length=80), primary_key=True),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index('ix_line_workers_heartbeat_at', 'line_workers', ['heartbeat_at'])


def downgrade() -> None:
    op.drop_index('ix_line_workers_heartbeat_at', table_name='line_workers')
    op.drop_table('line_workers')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('sip_uri')
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_index('ix_calls_worker')
        batch_op.drop_column('worker')
