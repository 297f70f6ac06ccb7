"""console ui: each user's console language; complaints new -> handled (who, when)

Revision ID: 0005_console_ui
Revises: 0004_console_sessions
Create Date: 2026-12-02 05:00:00.000000
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0005_console_ui'
down_revision: str | None = '0004_console_sessions'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('console_lang', sa.String(length=8), nullable=True))
    with op.batch_alter_table('caller_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('handled_by', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('handled_at', sa.DateTime(timezone=True), nullable=True))
    # records were all "open" until now: that is the new status "new"
    op.execute("UPDATE caller_records SET status = 'new' WHERE status = 'open'")


def downgrade() -> None:
    op.execute("UPDATE caller_records SET status = 'open' WHERE status = 'new'")
    with op.batch_alter_table('caller_records', schema=None) as batch_op:
        batch_op.drop_column('handled_at')
        batch_op.drop_column('handled_by')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('console_lang')
