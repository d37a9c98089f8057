"""``laborwatch users add|list|passwd``: web UI accounts. (``laborwatch web`` / ``run`` serve the UI: service room.)"""

from __future__ import annotations

import argparse
import getpass
import sys

from laborwatch.web.errors import AccountError
from lwcore.settings import Settings

__all__ = ["register"]

ROLE_CHOICES = ("admin", "duty", "verifier", "readonly")


def _accounts(settings: Settings):  # type: ignore[no-untyped-def]
    from laborwatch.web.accounts import Accounts
    from lwcore.db import Database

    db = Database.from_settings(settings)
    db.upgrade()
    return db, Accounts(db, session_ttl_s=settings.web.session_ttl_s)


def _read_password(args: argparse.Namespace) -> str:
    if getattr(args, "password_stdin", False):
        password = sys.stdin.readline().rstrip("\n")
        if not password:
            raise AccountError("no password on standard input")
        return password
    if not sys.stdin.isatty():
        raise AccountError("no terminal to ask for the password: use --password-stdin")
    first = getpass.getpass("密码 Password: ")
    if first != getpass.getpass("再次输入 Repeat: "):
        raise AccountError("the two passwords differ")
    return first


def _cmd_add(args: argparse.Namespace, settings: Settings) -> int:
    password = _read_password(args)
    db, accounts = _accounts(settings)
    try:
        accounts.add_user(args.username, password, args.role, display_name=args.name or "", email=args.email)
    finally:
        db.dispose()
    print(f"已添加用户 {args.username}（{args.role}） user added")
    return 0


def _cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    from laborwatch.web.labels import fmt_time

    db, accounts = _accounts(settings)
    try:
        users = accounts.list_users()
    finally:
        db.dispose()
    print(f"{'username':<20} {'role':<10} {'active':<7} {'last login':<17} name")
    for u in users:
        print(f"{u.username:<20} {u.role:<10} {'yes' if u.active else 'no':<7} "
              f"{fmt_time(u.last_login_at) or '-':<17} {u.display_name}")
    return 0


def _cmd_passwd(args: argparse.Namespace, settings: Settings) -> int:
    password = _read_password(args)
    db, accounts = _accounts(settings)
    try:
        accounts.set_password(args.username, password)
    finally:
        db.dispose()
    print(f"已重置 {args.username} 的密码 password changed (existing sessions logged out)")
    return 0


def _cmd_delete(args: argparse.Namespace, settings: Settings) -> int:
    db, accounts = _accounts(settings)
    try:
        accounts.delete_user(args.username)
    finally:
        db.dispose()
    print(f"已删除用户 {args.username} user deleted (its sessions revoked)")
    return 0


def _cmd_notify_subscriptions(args: argparse.Namespace, settings: Settings) -> int:
    import index
    from laborwatch.web.subscriptions import notify_subscriptions
    from lwcore.db import Database

    db = Database.from_settings(settings)
    try:
        db.upgrade()
        n = notify_subscriptions(settings, db, index.connect(settings))
    finally:
        db.dispose()
    print(f"queued {n} subscription e-mails (sent by the service's outbox)")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("users", help="web UI accounts (用户管理)")
    usub = p.add_subparsers(dest="users_command", metavar="SUBCOMMAND", required=True)
    a = usub.add_parser("add", help="add a user")
    a.add_argument("username")
    a.add_argument("--role", required=True, choices=ROLE_CHOICES,
                   help="admin 管理员, duty 值班员, verifier 核实员, readonly 只读")
    a.add_argument("--name", help="display name (姓名)")
    a.add_argument("--email")
    a.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    a.set_defaults(handler=_cmd_add)
    ls = usub.add_parser("list", help="list users")
    ls.set_defaults(handler=_cmd_list)
    pw = usub.add_parser("passwd", help="set a user's password")
    pw.add_argument("username")
    pw.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    pw.set_defaults(handler=_cmd_passwd)
    rm = usub.add_parser("delete", help="delete a user and revoke its sessions")
    rm.add_argument("username")
    rm.set_defaults(handler=_cmd_delete)

    sp = sub.add_parser("subscriptions", help="saved-search subscriptions (订阅检索)")
    ssub = sp.add_subparsers(dest="subscriptions_command", required=True)
    n = ssub.add_parser("notify", help="queue an e-mail for every subscribed search with new posts")
    n.set_defaults(handler=_cmd_notify_subscriptions)
