"""``voicebot users``: console accounts (add, list, disable, enable, delete, reset a password)."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import typer
from sqlalchemy import select
from sqlalchemy.orm import Session

from voicebot.cli.common import DB_OPTION, fail, load_settings
from voicebot.store.db import make_engine, make_sessionmaker
from voicebot.store.models import ROLES, Judge, User

users_app = typer.Typer(no_args_is_help=True)
CLI_ACTOR = "cli"
"""Audit actor for account changes made on the command line."""


@users_app.command("add")
def add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Login name."),
    role: str = typer.Option(..., "--role", help=f"One of {', '.join(ROLES)}."),
    judge: str | None = typer.Option(None, "--judge", help="For judges: the judge id (J0105-001)."),
    password_stdin: bool = typer.Option(False, "--password-stdin",
                                        help="Read the password from standard input."),
    sip: str = typer.Option("", "--sip", help="Operators: SIP URI the line transfers callers "
                            "they take to (sip:op1@pbx.example)."),
    db: str | None = DB_OPTION,
) -> None:
    """Create a console account (the password is prompted for unless --password-stdin)."""
    if sip and (not sip.lower().startswith(("sip:", "sips:")) or len(sip) > 200 or "@" not in sip):
        fail("--sip must be a SIP URI like sip:op1@pbx.example (at most 200 characters)")
    from voicebot.console.security import AccountError, create_user

    settings = load_settings(ctx, db)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    engine = make_engine(settings.resolved_database_url)
    try:
        with make_sessionmaker(engine)() as session:
            try:
                user = create_user(session, name, role, password, dt.datetime.now(dt.UTC), judge)
            except AccountError as exc:
                fail(str(exc))
            user.sip_uri = sip
            session.commit()
            typer.echo(f"created {user.username} ({user.role})")
    except typer.Exit:
        raise
    except Exception as exc:
        fail(f"cannot create the account: {exc}")
    finally:
        engine.dispose()


@users_app.command("list")
def list_users(ctx: typer.Context, db: str | None = DB_OPTION) -> None:
    """List console accounts."""
    settings = load_settings(ctx, db)
    engine = make_engine(settings.resolved_database_url)
    try:
        with make_sessionmaker(engine)() as session:
            rows = session.execute(
                select(User.username, User.role, Judge.ext_id, User.locked_until, User.disabled)
                .outerjoin(Judge, Judge.id == User.judge_id)
                .order_by(User.username)
            ).all()
    except Exception as exc:
        fail(f"cannot read accounts: {exc}")
    finally:
        engine.dispose()
    now = dt.datetime.now(dt.UTC)
    for username, role, ext_id, locked, disabled in rows:
        state = " disabled" if disabled else ""
        state += " locked" if locked is not None and locked > now else ""
        typer.echo(f"{username}\t{role}\t{ext_id or ''}{state}")


@contextmanager
def _store(ctx: typer.Context, db: str | None) -> Iterator[Session]:
    settings = load_settings(ctx, db)
    engine = make_engine(settings.resolved_database_url)
    try:
        with make_sessionmaker(engine)() as session:
            yield session
    except typer.Exit:
        raise
    except Exception as exc:
        fail(f"cannot change the account: {exc}")
    finally:
        engine.dispose()


def _change(ctx: typer.Context, db: str | None, name: str,
            act: Callable[[Session, User, dt.datetime], None], done: str) -> None:
    from voicebot.console.accounts import find_user
    from voicebot.console.security import AccountError

    with _store(ctx, db) as session:
        try:
            user = find_user(session, name)
            act(session, user, dt.datetime.now(dt.UTC))
        except AccountError as exc:
            fail(str(exc))
        session.commit()
    typer.echo(f"{done} {name.strip()}")


NAME_ARG = typer.Argument(..., help="Login name.")


@users_app.command("disable")
def disable(ctx: typer.Context, name: str = NAME_ARG, db: str | None = DB_OPTION) -> None:
    """Disable an account: it cannot sign in and its sessions end."""
    from voicebot.console.accounts import set_disabled

    _change(ctx, db, name, lambda s, u, now: set_disabled(s, u, True, CLI_ACTOR, now), "disabled")


@users_app.command("enable")
def enable(ctx: typer.Context, name: str = NAME_ARG, db: str | None = DB_OPTION) -> None:
    """Enable a disabled account again."""
    from voicebot.console.accounts import set_disabled

    _change(ctx, db, name, lambda s, u, now: set_disabled(s, u, False, CLI_ACTOR, now), "enabled")


@users_app.command("delete")
def delete(ctx: typer.Context, name: str = NAME_ARG, db: str | None = DB_OPTION) -> None:
    """Delete an account (its audit history stays)."""
    from voicebot.console.accounts import delete_user

    _change(ctx, db, name, lambda s, u, now: delete_user(s, u, CLI_ACTOR, now), "deleted")


@users_app.command("reset-password")
def reset_password(
    ctx: typer.Context,
    name: str = NAME_ARG,
    password_stdin: bool = typer.Option(False, "--password-stdin",
                                        help="Read the new password from standard input."),
    db: str | None = DB_OPTION,
) -> None:
    """Set a new password; the account's lock is lifted and its sessions end."""
    from voicebot.console.accounts import reset_password as reset

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("New password", hide_input=True, confirmation_prompt=True)
    _change(ctx, db, name, lambda s, u, now: reset(s, u, password, CLI_ACTOR, now),
            "new password for")


@users_app.command("unlock")
def unlock(ctx: typer.Context, name: str = NAME_ARG, db: str | None = DB_OPTION) -> None:
    """Lift a lock-out after too many failed sign-ins."""
    from voicebot.console.accounts import unlock as lift

    _change(ctx, db, name, lambda s, u, now: lift(s, u, CLI_ACTOR, now), "unlocked")
