"""Administration: user accounts and the audit log (admin role only)."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import func, select
from starlette.responses import Response

from laborwatch.web.deps import (
    UserMayManageUsers,
    UserMayViewAudit,
    client_ip,
    ctx,
    page_count,
    render,
)
from laborwatch.web.errors import AccountError
from laborwatch.web.models import AuditEntry, Role

router = APIRouter(prefix="/admin")

AUDIT_PAGE = 100


def _users_page(request: Request, *, flash: str = "", kind: str = "ok", status_code: int = 200) -> Response:
    users = ctx(request).accounts.list_users()
    return render(request, "users.html", {"users": users, "roles": list(Role), "active": "users",
                                          "flash": flash, "flash_kind": kind}, status_code=status_code)


@router.get("/users")
def users(request: Request, _user: UserMayManageUsers) -> Response:
    return _users_page(request)


@router.post("/users")
def add_user(
    request: Request,
    username: str = Form(...),
    password: str = Form(...),
    role: str = Form(...),
    display_name: str = Form(""),
    email: str = Form(""),
    *,
    user: UserMayManageUsers,
) -> Response:
    try:
        ctx(request).accounts.add_user(
            username.strip(), password, role, display_name=display_name.strip(), email=email.strip() or None,
            by=user.username, by_id=user.user_id, ip=client_ip(request),
        )
    except AccountError as exc:
        return _users_page(request, flash=f"未能添加用户：{exc.zh}", kind="error", status_code=400)
    return _users_page(request, flash=f"已添加用户 {username}。")


@router.post("/users/{username}")
def update_user(
    request: Request,
    username: str,
    role: str = Form(""),
    active: str = Form(""),
    password: str = Form(""),
    *,
    user: UserMayManageUsers,
) -> Response:
    accounts = ctx(request).accounts
    try:
        if username == user.username and (active == "0" or (role and role != user.role.value)):
            raise AccountError("不能停用自己的账号或更改自己的角色")
        accounts.update_user(
            username, role=role or None, active={"1": True, "0": False}.get(active),
            by=user.username, by_id=user.user_id, ip=client_ip(request),
        )
        if password:
            accounts.set_password(username, password, by=user.username, by_id=user.user_id, ip=client_ip(request))
    except AccountError as exc:
        return _users_page(request, flash=f"未能修改用户 {username}：{exc.zh}", kind="error", status_code=400)
    return RedirectResponse("/admin/users", status_code=303)


@router.get("/audit")
def audit_log(
    request: Request,
    page: int = 1,
    who: str = "",
    action: str = "",
    *,
    _user: UserMayViewAudit,
) -> Response:
    page = max(page, 1)
    stmt = select(AuditEntry)
    if who:
        stmt = stmt.where(AuditEntry.username == who)
    if action:
        stmt = stmt.where(AuditEntry.action.startswith(action))
    with ctx(request).db.session() as s:
        total = s.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        rows = list(s.scalars(stmt.order_by(AuditEntry.id.desc()).offset((page - 1) * AUDIT_PAGE).limit(AUDIT_PAGE)))
    pages = page_count(total, AUDIT_PAGE)
    return render(request, "audit.html", {"rows": rows, "total": total, "page": page, "pages": pages,
                                          "who": who, "action": action, "active": "audit"})
