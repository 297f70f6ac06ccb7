"""store hardening: password answers masked, raw caller id kept, password-check guard rows

Revision ID: 0003_store_hardening
Revises: 0002
Create Date: 2026-12-01 23:20:00.000000

- ``call_turns.caller_text`` and ``handoff_tickets.transcript``: whatever a caller said or keyed
  in answer to a password prompt becomes ``[password given]``; the caller audio of such a turn
  (``<calls.audio_path>/turn-NN.wav``) is deleted.
- ``calls.caller_id_raw`` keeps the caller id as signalled; ``calls.caller_id`` is normalized.
- ``verification_guards``: one row per case number, updated first in each password check.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import op

from voicebot.callerid import bounded_raw, normalize_caller_id
from voicebot.store.redact import PASSWORD_GIVEN, mask_turns

revision: str = '0003_store_hardening'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_calls = sa.table('calls', sa.column('id', sa.Integer), sa.column('caller_id', sa.String),
                  sa.column('caller_id_raw', sa.String), sa.column('audio_path', sa.String))
_turns = sa.table('call_turns', sa.column('id', sa.Integer), sa.column('call_id', sa.Integer),
                  sa.column('idx', sa.Integer), sa.column('caller_text', sa.Text),
                  sa.column('bot_text', sa.Text))
_tickets = sa.table('handoff_tickets', sa.column('id', sa.Integer),
                    sa.column('transcript', sa.JSON))


def upgrade() -> None:
    op.create_table('verification_guards',
                    sa.Column('case_number', sa.String(length=64), nullable=False),
                    sa.Column('checks', sa.Integer(), nullable=False),
                    sa.PrimaryKeyConstraint('case_number', name=op.f('pk_verification_guards')))
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.add_column(sa.Column('caller_id_raw', sa.String(length=120), nullable=False,
                                      server_default=''))
    bind = op.get_bind()
    _mask_turns(bind)
    _mask_tickets(bind)
    for call_id, caller in bind.execute(sa.select(_calls.c.id, _calls.c.caller_id)).all():
        if caller:
            bind.execute(_calls.update().where(_calls.c.id == call_id).values(
                caller_id=normalize_caller_id(caller), caller_id_raw=bounded_raw(caller)))


def _mask_turns(bind: sa.Connection) -> None:
    rows = bind.execute(sa.select(_turns.c.id, _turns.c.call_id, _turns.c.idx,
                                  _turns.c.caller_text, _turns.c.bot_text)
                        .order_by(_turns.c.call_id, _turns.c.idx)).all()
    by_call: dict[int, list[Any]] = {}
    for row in rows:
        by_call.setdefault(row.call_id, []).append(row)
    folders = dict(bind.execute(sa.select(_calls.c.id, _calls.c.audio_path)).all())
    for call_id, turns in by_call.items():
        masked = mask_turns([(t.caller_text or '', t.bot_text or '') for t in turns])
        for turn, (caller, _) in zip(turns, masked, strict=True):
            if caller == PASSWORD_GIVEN and turn.caller_text != PASSWORD_GIVEN:
                bind.execute(_turns.update().where(_turns.c.id == turn.id)
                             .values(caller_text=PASSWORD_GIVEN))
                folder = folders.get(call_id) or ''
                if folder:
                    Path(folder, f"turn-{turn.idx:02d}.wav").unlink(missing_ok=True)


def _mask_tickets(bind: sa.Connection) -> None:
    for ticket_id, transcript in bind.execute(sa.select(_tickets.c.id, _tickets.c.transcript)):
        turns = json.loads(transcript) if isinstance(transcript, str) else transcript
        if not isinstance(turns, list):
            continue
        pairs = [(str(t.get('caller', '')), str(t.get('bot', ''))) if isinstance(t, dict)
                 else ('', '') for t in turns]
        masked = mask_turns(pairs)
        changed = False
        for turn, (caller, _), (before, _) in zip(turns, masked, pairs, strict=True):
            if isinstance(turn, dict) and caller != before:
                turn['caller'] = caller
                changed = True
        if changed:
            bind.execute(_tickets.update().where(_tickets.c.id == ticket_id)
                         .values(transcript=turns))


def downgrade() -> None:
    # The masked passwords cannot come back; the raw caller id goes back where it was.
    bind = op.get_bind()
    for call_id, raw in bind.execute(sa.select(_calls.c.id, _calls.c.caller_id_raw)).all():
        if raw:
            bind.execute(_calls.update().where(_calls.c.id == call_id)
                         .values(caller_id=raw[:40]))
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_column('caller_id_raw')
    op.drop_table('verification_guards')
