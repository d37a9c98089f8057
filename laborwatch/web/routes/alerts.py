from __future__ import annotations

from fastapi import APIRouter

public = APIRouter()
router = APIRouter()
