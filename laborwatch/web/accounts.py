"""Accounts, roles, sessions and the audit log.

Passwords are hashed with the standard library's scrypt (random 16-byte salt per password, parameters stored
with the hash so they can be raised later). Sessions are server-side rows: the cookie carries a random token,
the database keeps only its SHA-256, and each session has its own CSRF token. Each session also records whose it
is (a digest of the user's id, name and password hash): a session is revoked, never resurrected, when its user
is deleted (even if a new user later gets the same id), disabled, or changes password.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from laborwatch.web.errors import AccountError
from laborwatch.web.models import ROLE_LABELS, AuditEntry, Role, User, WebSession
from lwcore.db import Database, utcnow

__all__ = [
    "PERMISSIONS",
    "can",
    "hash_password",
    "verify_password",
    "Principal",
    "Accounts",
    "audit",
]

logger = logging.getLogger(__name__)

_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1
_USERNAME = re.compile(r"^[A-Za-z0-9_.-]{2,64}$")
MIN_PASSWORD_LEN = 8

_ALL = frozenset(Role)
#: permission -> roles that hold it. Everything not listed here is readable by every logged-in role.
PERMISSIONS: dict[str, frozenset[Role]] = {
    "view": _ALL,
    "export": _ALL,
    "verify": frozenset({Role.ADMIN, Role.DUTY, Role.VERIFIER}),  # confirm / dismiss / correct posts
    "case.open": frozenset({Role.ADMIN, Role.DUTY, Role.VERIFIER}),  # open or attach to a ledger case
    "case.manage": frozenset({Role.ADMIN, Role.DUTY}),  # plan, owner, deadline, status transitions
    "alert.handle": frozenset({Role.ADMIN, Role.DUTY}),  # acknowledge, escalate, silence
    "briefing.send": frozenset({Role.ADMIN, Role.DUTY}),
    "companies.list": frozenset({Role.ADMIN, Role.DUTY}),  # key supervision list: add, confirm/reject, delist
    "companies.visit": frozenset({Role.ADMIN, Role.DUTY, Role.VERIFIER}),  # record guidance visits
    "companies.blacklist": frozenset({Role.ADMIN}),  # wage-arrears blacklist: record, publish, push, repair request
    "companies.credit_repair": frozenset({Role.ADMIN}),  # approve or refuse credit repair
    "reports.submit": frozenset({Role.ADMIN, Role.DUTY, Role.VERIFIER}),  # 网格上报 form (grid workers' accounts)
    "reports.import": frozenset({Role.ADMIN, Role.DUTY}),  # 12345 hotline ticket Excel import
    "users.manage": frozenset({Role.ADMIN}),
    "audit.view": frozenset({Role.ADMIN}),
    "model.manage": frozenset({Role.ADMIN}),  # analyzer bundles: promote, roll back, read gate reports
}


def can(role: str | Role, permission: str) -> bool:
    try:
        return Role(role) in PERMISSIONS[permission]
    except (ValueError, KeyError):
        return False


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=32
    )
    b64 = base64.b64encode
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt_b64, digest_b64 = stored.split("$")
        if scheme != "scrypt":
            return False
        salt = base64.b64decode(salt_b64)
        expected = base64.b64decode(digest_b64)
        got = hashlib.scrypt(
            password.encode("utf-8"), salt=salt, n=int(n), r=int(r), p=int(p), dklen=len(expected)
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def _user_stamp(user: User) -> str:
    """Who a session belongs to: changes when the row is a different user or the password changed."""
    return hashlib.sha256(f"{user.id}\x00{user.username}\x00{user.password_hash}".encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Principal:
    """The logged-in user of one request (detached from any DB session)."""

    user_id: int
    username: str
    display_name: str
    role: Role
    csrf_token: str
    session_id: int

    def can(self, permission: str) -> bool:
        return can(self.role, permission)

    @property
    def label(self) -> str:
        return self.display_name or self.username

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role.value]


def audit(
    s: Session,
    *,
    user_id: int | None,
    username: str,
    action: str,
    target_type: str = "",
    target_id: str | int = "",
    detail: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEntry:
    """Add one audit entry to the session's transaction (committed with the change it records)."""
    entry = AuditEntry(
        at=utcnow(),
        user_id=user_id,
        username=username,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        detail=detail or {},
        ip=ip,
    )
    s.add(entry)
    return entry


class Accounts:
    """User accounts and login sessions in the relational database."""

    def __init__(self, db: Database, *, session_ttl_s: int = 12 * 3600) -> None:
        self.db = db
        self.session_ttl = timedelta(seconds=session_ttl_s)

    # -- users -------------------------------------------------------------------------------------------
    def add_user(
        self,
        username: str,
        password: str,
        role: str | Role,
        *,
        display_name: str = "",
        email: str | None = None,
        by: str = "cli",
        by_id: int | None = None,
        ip: str | None = None,
    ) -> User:
        if not _USERNAME.match(username):
            raise AccountError(f"username {username!r}: use 2-64 letters, digits, '_', '.', '-'",
                               zh=f"用户名「{username}」无效：须为 2-64 位字母、数字或 _ . -")
        role_value = self._role(role)
        self._check_password(password)
        with self.db.session() as s:
            if s.scalar(select(User.id).where(User.username == username)) is not None:
                raise AccountError(f"user {username!r} already exists", zh=f"用户名「{username}」已存在")
            user = User(
                username=username,
                display_name=display_name,
                email=email,
                role=role_value,
                password_hash=hash_password(password),
                active=True,
                created_at=utcnow(),
            )
            s.add(user)
            s.flush()
            audit(
                s, user_id=by_id, username=by, action="user.add", target_type="user", target_id=username,
                detail={"role": role_value, "display_name": display_name}, ip=ip,
            )
        logger.info("user %s added with role %s", username, role_value)
        return user

    def set_password(
        self, username: str, password: str, *, by: str = "cli", by_id: int | None = None, ip: str | None = None
    ) -> None:
        self._check_password(password)
        with self.db.session() as s:
            user = self._get(s, username)
            user.password_hash = hash_password(password)
            s.execute(delete(WebSession).where(WebSession.user_id == user.id))  # log out everywhere
            audit(s, user_id=by_id, username=by, action="user.passwd", target_type="user", target_id=username, ip=ip)

    def update_user(
        self,
        username: str,
        *,
        role: str | Role | None = None,
        active: bool | None = None,
        by: str,
        by_id: int | None = None,
        ip: str | None = None,
    ) -> User:
        with self.db.session() as s:
            user = self._get(s, username)
            changes: dict[str, Any] = {}
            if role is not None and self._role(role) != user.role:
                changes["role"] = [user.role, self._role(role)]
                user.role = self._role(role)
            if active is not None and active != user.active:
                changes["active"] = [user.active, active]
                user.active = active
                if not active:
                    s.execute(delete(WebSession).where(WebSession.user_id == user.id))
            if changes:
                audit(s, user_id=by_id, username=by, action="user.update", target_type="user",
                      target_id=username, detail=changes, ip=ip)
            return user

    def delete_user(self, username: str, *, by: str = "cli", by_id: int | None = None,
                    ip: str | None = None) -> None:
        """Remove a user and revoke every session of theirs (in one transaction)."""
        with self.db.session() as s:
            user = self._get(s, username)
            s.execute(delete(WebSession).where(WebSession.user_id == user.id))
            s.delete(user)
            audit(s, user_id=by_id, username=by, action="user.delete", target_type="user", target_id=username,
                  ip=ip)

    def list_users(self) -> list[User]:
        with self.db.session() as s:
            return list(s.scalars(select(User).order_by(User.username)))

    def get_user(self, username: str) -> User | None:
        with self.db.session() as s:
            return s.scalar(select(User).where(User.username == username))

    def count_users(self) -> int:
        return len(self.list_users())

    # -- sessions ----------------------------------------------------------------------------------------
    def login(self, username: str, password: str, *, ip: str | None = None) -> tuple[str, Principal] | None:
        """Check the password; on success create a session and return (cookie token, principal)."""
        with self.db.session() as s:
            user = s.scalar(select(User).where(User.username == username))
            if user is None or not user.active:
                verify_password(password, _DUMMY_HASH)  # same cost either way: no user enumeration by timing
                audit(s, user_id=None, username=username[:64], action="login.failed", ip=ip)
                return None
            if not verify_password(password, user.password_hash):
                audit(s, user_id=user.id, username=user.username, action="login.failed", ip=ip)
                return None
            now = utcnow()
            token = secrets.token_urlsafe(32)
            row = WebSession(
                token_hash=_token_hash(token),
                user_id=user.id,
                csrf_token=secrets.token_urlsafe(32),
                created_at=now,
                expires_at=now + self.session_ttl,
                ip=ip,
                user_stamp=_user_stamp(user),
            )
            s.add(row)
            user.last_login_at = now
            s.execute(delete(WebSession).where(WebSession.expires_at < now))
            s.flush()
            audit(s, user_id=user.id, username=user.username, action="login", ip=ip)
            return token, self._principal(user, row)

    def resolve(self, token: str | None) -> Principal | None:
        """The principal of a session cookie, or None when absent, unknown, expired or the user is disabled."""
        if not token:
            return None
        with self.db.session() as s:
            row = s.scalar(select(WebSession).where(WebSession.token_hash == _token_hash(token)))
            if row is None:
                return None
            if row.expires_at < utcnow():
                s.delete(row)
                return None
            user = s.get(User, row.user_id)
            if user is None or not user.active or row.user_stamp is None or not hmac.compare_digest(
                row.user_stamp, _user_stamp(user)
            ):
                s.delete(row)  # revoked for good: this token never opens a session again
                logger.warning("session %d revoked: its user was deleted, disabled, replaced or changed password",
                               row.id)
                return None
            return self._principal(user, row)

    def logout(self, token: str | None, *, ip: str | None = None) -> None:
        if not token:
            return
        with self.db.session() as s:
            row = s.scalar(select(WebSession).where(WebSession.token_hash == _token_hash(token)))
            if row is None:
                return
            user = s.get(User, row.user_id)
            s.delete(row)
            audit(s, user_id=row.user_id, username=user.username if user else "?", action="logout", ip=ip)

    # -- helpers -----------------------------------------------------------------------------------------
    @staticmethod
    def _principal(user: User, row: WebSession) -> Principal:
        return Principal(
            user_id=user.id,
            username=user.username,
            display_name=user.display_name,
            role=Role(user.role),
            csrf_token=row.csrf_token,
            session_id=row.id,
        )

    @staticmethod
    def _role(role: str | Role) -> str:
        try:
            return Role(role).value
        except ValueError:
            raise AccountError(
                f"role {role!r}: must be one of {', '.join(r.value for r in Role)}",
                zh=f"未知的角色「{role}」，可选：{'、'.join(ROLE_LABELS[r.value] for r in Role)}",
            ) from None

    @staticmethod
    def _check_password(password: str) -> None:
        if len(password) < MIN_PASSWORD_LEN:
            raise AccountError(f"password too short: at least {MIN_PASSWORD_LEN} characters",
                               zh=f"密码太短：至少 {MIN_PASSWORD_LEN} 个字符")

    @staticmethod
    def _get(s: Session, username: str) -> User:
        user = s.scalar(select(User).where(User.username == username))
        if user is None:
            raise AccountError(f"no such user {username!r}", zh=f"用户「{username}」不存在")
        return user


#: compared against when the user does not exist, so a wrong user name costs the same time as a wrong password
_DUMMY_HASH = (
    f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}$"
    + base64.b64encode(b"laborwatch-dummy").decode() + "$" + base64.b64encode(bytes(32)).decode()
)
