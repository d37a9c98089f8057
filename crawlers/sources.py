"""The source registry (``configs/sources.yaml``): validated at load into frozen :class:`SourceConfig` objects.

A source is one place the bureau watches: a news list, a feed, a search endpoint, a message board or a
forum. Everything site-specific (URLs, selectors, JSON field paths, encoding, schedule, politeness) lives
in the YAML; the spiders are generic per ``kind``. Errors name the file, the key (``sources[3].schedule``)
and the reason.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from crawlers.kinds import SOURCE_KINDS
from lwcore.errors import ConfigError
from lwcore.settings import Settings, load_yaml

__all__ = [
    "SOURCE_KINDS",
    "Schedule",
    "Politeness",
    "Selectors",
    "JsonFields",
    "JSON_PATH_KEYS",
    "ENDPOINT_PLACEHOLDERS",
    "Auth",
    "SourceConfig",
    "load_sources",
    "allowed_keys",
    "sources_json_schema",
    "parse_sources",
    "check_config",
    "sources_path",
]

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{1,63}$")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)?\s*$")


def _duration_s(value: Any) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    m = _DURATION.match(str(value))
    if not m:
        raise ValueError(f"not a duration: {value!r} (use seconds or e.g. 30m, 2h, 1d)")
    return float(m.group(1)) * {"s": 1, "m": 60, "h": 3600, "d": 86400, None: 1}[m.group(2)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Schedule(_Frozen):
    """When the service runs the source: ``interval`` (seconds or ``30m``) or ``cron`` (5 fields), plus jitter.

    ``min_interval`` / ``max_interval`` (with ``interval`` only) are the bounds the freshness policy adapts the
    interval between (``crawlers.schedule``); left out, each is ``interval`` (a fixed schedule)."""

    interval_s: float | None = Field(None, alias="interval")
    cron: str | None = None
    jitter_s: float = Field(0.0, alias="jitter")
    min_interval_s: float | None = Field(None, alias="min_interval")
    max_interval_s: float | None = Field(None, alias="max_interval")

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    @field_validator("interval_s", "jitter_s", "min_interval_s", "max_interval_s", mode="before")
    @classmethod
    def _dur(cls, v: Any) -> Any:
        return None if v is None else _duration_s(v)

    @field_validator("cron")
    @classmethod
    def _cron(cls, v: str | None) -> str | None:
        if v is None:
            return v
        if len(v.split()) != 5:
            raise ValueError(f"cron needs 5 fields (minute hour day month weekday), got {v!r}")
        from apscheduler.triggers.cron import CronTrigger

        try:
            CronTrigger.from_crontab(v, timezone="Asia/Shanghai")
        except ValueError as exc:
            raise ValueError(f"invalid cron {v!r}: {exc}") from None
        return v

    @model_validator(mode="after")
    def _one(self) -> Schedule:
        if (self.interval_s is None) == (self.cron is None):
            raise ValueError("give exactly one of interval or cron")
        if self.interval_s is not None and self.interval_s < 60:
            raise ValueError(f"interval {self.interval_s:g}s is below the 60 s minimum")
        if self.jitter_s < 0:
            raise ValueError("jitter must be >= 0")
        if self.cron is not None and (self.min_interval_s is not None or self.max_interval_s is not None):
            raise ValueError("min_interval/max_interval adapt an interval schedule; a cron schedule has none")
        if self.interval_s is not None:
            lo, hi = self.bounds_s
            if lo < 60:
                raise ValueError(f"min_interval {lo:g}s is below the 60 s minimum")
            if not lo <= self.interval_s <= hi:
                raise ValueError(f"need min_interval <= interval <= max_interval, got {lo:g}s, "
                                 f"{self.interval_s:g}s, {hi:g}s")
        return self

    @property
    def bounds_s(self) -> tuple[float, float]:
        """(min, max) interval in seconds; each defaults to ``interval`` (cron schedules: (0, 0))."""
        base = self.interval_s or 0.0
        lo = self.min_interval_s if self.min_interval_s is not None else base
        hi = self.max_interval_s if self.max_interval_s is not None else base
        return lo, hi


class Politeness(_Frozen):
    """Per-source overrides of the crawl settings. Ignoring robots.txt needs a written reason."""

    obey_robots: bool | None = None
    robots_reason: str | None = None
    download_delay_s: float | None = Field(None, ge=0)
    concurrency: int | None = Field(None, ge=1, le=32)
    autothrottle: bool | None = None
    max_response_bytes: int | None = Field(None, ge=1024)

    @model_validator(mode="after")
    def _reason(self) -> Politeness:
        if self.obey_robots is False and not (self.robots_reason or "").strip():
            raise ValueError("obey_robots: false needs robots_reason (why this source may ignore robots.txt)")
        return self


class Selectors(_Frozen):
    """CSS (or XPath when starting with ``/`` or ``(``) selectors; any left out are found automatically."""

    item_links: str | None = None  # list page -> detail links (news, forum)
    next_page: str | None = None
    title: str | None = None
    content: str | None = None
    published_at: str | None = None
    author: str | None = None
    # forum list rows (title, reply count) and search HTML results
    item: str | None = None
    replies: str | None = None


class JsonFields(_Frozen):
    """Where things are in a JSON reply: JMESPath expressions (``data.cards[*].mblog``), checked at load;
    the field paths are evaluated per item."""

    items: str
    id: str
    url: str | None = None
    url_template: str | None = None  # e.g. "https://m.weibo.cn/detail/{id}"
    title: str | None = None
    content: str
    author: str | None = None
    published_at: str | None = None
    reposts: str | None = None
    comments: str | None = None
    likes: str | None = None
    views: str | None = None
    detail_url_template: str | None = None  # boards: detail API per item, e.g. ".../thread?id={id}"
    detail_item: str | None = None  # boards: path of the thread object in the detail reply (fields read there first)
    reply: str | None = None  # boards: path of the official reply text, relative to detail_item
    reply_status: str | None = None  # boards: path of the reply status (已回复/办理中), relative to detail_item
    has_more: str | None = None  # path of a boolean "more pages" flag, when the API has one
    next_cursor: str | None = None  # path of the next page's cursor or token, put into {cursor}
    error_code: str | None = None  # path of the API's status code (code, errcode, ok ...)
    ok_codes: tuple[int | str | bool, ...] = (0,)  # values of error_code that mean success
    error_message: str | None = None  # path of the API's error text (msg, message ...), shown in the warning

    @model_validator(mode="after")
    def _paths(self) -> JsonFields:
        from crawlers.jsonpath import compile_path

        for name in JSON_PATH_KEYS:
            value = getattr(self, name)
            if value is not None:
                try:
                    compile_path(value)
                except ValueError as exc:
                    raise ValueError(f"{name}: {exc}") from None
        if not self.ok_codes:
            raise ValueError("json.ok_codes must list at least one success value")
        return self


#: The keys of ``json:`` that are JMESPath expressions (the rest are URL templates or values).
JSON_PATH_KEYS = ("items", "id", "url", "title", "content", "author", "published_at", "reposts", "comments",
                  "likes", "views", "detail_item", "reply", "reply_status", "has_more", "next_cursor",
                  "error_code", "error_message")

#: The placeholders an ``endpoint`` may hold, and what each becomes.
ENDPOINT_PLACEHOLDERS: dict[str, str] = {
    "query": "one search term, URL-encoded: place + space + keyword (青浦 欠薪), or the keyword alone without places",
    "keyword": "the same as {query}",
    "page": "the page number, 1, 2, 3 ... up to max_pages",
    "offset": "the number of items received so far in this query: 0, then 0 + the first page's count ...",
    "cursor": "empty on the first page, then the value of json.next_cursor in the previous reply",
    "start": "the start of the time window, YYYY-MM-DD (today - time_window_days, default 7 days)",
    "end": "today, YYYY-MM-DD",
    "since": "Unix seconds: the start of the source's last complete run less 10 minutes (the window start on the "
             "first run); for APIs that return only what is newer (since_id, start_time ...)",
}


class Auth(_Frozen):
    """Names of credentials in ``settings.crawl.credentials`` (set via ``LW__CRAWL__CREDENTIALS__<NAME>``)."""

    cookie: str | None = None
    header: str | None = None  # sent as the value of ``header_name``
    header_name: str = "Authorization"


class SourceConfig(_Frozen):
    id: str
    name: str
    kind: str = Field(json_schema_extra={"enum": list(SOURCE_KINDS)})
    platform: str
    enabled: bool = True
    start_urls: tuple[str, ...] = ()
    endpoint: str | None = None  # search/board URL template: {keyword} {page} {start} {end}
    response: Literal["html", "json"] = "html"
    keywords: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    selectors: Selectors = Selectors()
    json_fields: JsonFields | None = Field(None, alias="json")
    encoding: str | None = None
    schedule: Schedule = Schedule(interval_s=3600)
    politeness: Politeness = Politeness()
    region: tuple[str, ...] = ()
    max_pages: int = Field(3, ge=1, le=200)
    # search: terms one request may carry, joined by terms_joiner (only where the site's search takes OR queries)
    max_terms_per_request: int = Field(1, ge=1, le=50)
    terms_joiner: str = Field(" OR ", min_length=1, max_length=10)
    time_window_days: float | None = Field(None, gt=0)
    fetch_full_article: bool = True  # feeds: fetch the page when the entry is only a summary
    allowed_domains: tuple[str, ...] = ()
    distributed: bool = False  # share one crawl through Redis (scrapy-redis); needs crawl.redis_url
    proxy: str | None = None
    auth: Auth = Auth()
    notes: str | None = None

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not _ID.match(v):
            raise ValueError(f"id {v!r} must be 2-64 chars of a-z, 0-9, _ or -, starting with a letter or digit")
        return v

    @field_validator("kind")
    @classmethod
    def _kind(cls, v: str) -> str:
        if v not in SOURCE_KINDS:
            raise ValueError(f"unknown kind {v!r} (allowed: {', '.join(SOURCE_KINDS)})")
        return v

    @field_validator("start_urls")
    @classmethod
    def _urls(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for u in v:
            if not re.match(r"^https?://[^\s/]+", u):
                raise ValueError(f"not an http(s) URL: {u!r}")
        return v

    @field_validator("encoding")
    @classmethod
    def _enc(cls, v: str | None) -> str | None:
        if v is None:
            return v
        from crawlers.encoding import normalize_encoding_name

        if normalize_encoding_name(v) is None:
            raise ValueError(f"unknown encoding {v!r}")
        return v

    @model_validator(mode="after")
    def _by_kind(self) -> SourceConfig:
        if self.kind in ("news", "feed", "forum") and not self.start_urls:
            raise ValueError(f"kind {self.kind} needs start_urls")
        if self.kind in ("search", "board"):
            if not self.endpoint and not self.start_urls:
                raise ValueError(f"kind {self.kind} needs endpoint (URL template) or start_urls")
            if self.endpoint and not re.match(r"^https?://", self.endpoint):
                raise ValueError(f"endpoint is not an http(s) URL template: {self.endpoint!r}")
        if self.kind == "search":
            if self.endpoint and "{keyword}" in self.endpoint and not self.keywords:
                raise ValueError("kind search with {keyword} in endpoint needs keywords")
        endpoint = self.endpoint or ""
        takes_term = "{query}" in endpoint or "{keyword}" in endpoint
        if self.max_terms_per_request > 1 and not (self.kind == "search" and takes_term):
            raise ValueError("max_terms_per_request > 1 needs kind search with {query} or {keyword} in the endpoint")
        if self.response == "json" and self.json_fields is None:
            raise ValueError("response: json needs a json: mapping (items, id, content...)")
        if self.endpoint:
            used = set(re.findall(r"{(\w*)}", self.endpoint))
            unknown = used - set(ENDPOINT_PLACEHOLDERS)
            if unknown:
                allowed = ", ".join("{" + k + "}" for k in ENDPOINT_PLACEHOLDERS)
                bad = ", ".join("{" + u + "}" for u in sorted(unknown))
                raise ValueError(f"endpoint has unknown placeholder(s) {bad} (allowed: {allowed})")
            paging = used & {"page", "offset", "cursor"}
            if self.kind == "board" and paging - {"page"}:
                raise ValueError(f"kind board pages by {{page}} only, not {{{sorted(paging - {'page'})[0]}}}")
            if len(paging) > 1:
                raise ValueError(f"endpoint mixes paging placeholders {sorted(paging)}: use one of page, offset, "
                                 "cursor")
            if "cursor" in used and (self.json_fields is None or self.json_fields.next_cursor is None):
                raise ValueError("endpoint uses {cursor} but json.next_cursor (where the reply holds the next "
                                 "cursor) is not set")
        if self.json_fields is not None and self.json_fields.next_cursor and "{cursor}" not in (self.endpoint or ""):
            raise ValueError("json.next_cursor is set but the endpoint has no {cursor} placeholder to put it in")
        return self

    @property
    def paging(self) -> str | None:
        """How an endpoint pages: ``"page"``, ``"offset"``, ``"cursor"``, or None (one request per query)."""
        for name in ("cursor", "offset", "page"):
            if self.endpoint and "{" + name + "}" in self.endpoint:
                return name
        return None

    @property
    def queries(self) -> list[str]:
        """Search terms: the cross product of labour keywords and place names (keywords alone without places)."""
        if not self.places:
            return list(self.keywords)
        return [f"{place} {kw}" for place in self.places for kw in self.keywords]


def _model_at(loc: Sequence[Any]) -> type[BaseModel] | None:
    """The model class a validation-error location points into (``("json", "next_cursr")`` -> JsonFields)."""
    import typing

    model: type[BaseModel] = SourceConfig
    for part in loc:
        if isinstance(part, int):
            continue
        field = next((f for n, f in model.model_fields.items() if (f.alias or n) == part or n == part), None)
        if field is None:
            return None
        ann = field.annotation
        candidates = [ann, *typing.get_args(ann)]
        nxt = next((c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None)
        if nxt is None:
            return None
        model = nxt
    return model


def allowed_keys(loc: Sequence[Any] = ()) -> list[str]:
    """The keys a mapping at ``loc`` accepts (as written in YAML: aliases such as ``json``, ``interval``)."""
    model = _model_at(loc)
    if model is None:
        return []
    return [f.alias or n for n, f in model.model_fields.items()]


def _key_of(loc: Sequence[Any], index: int) -> str:
    key = f"sources[{index}]"
    for part in loc:
        key += f"[{part}]" if isinstance(part, int) else f".{part}"
    return key


def parse_sources(data: Any, file: str) -> list[SourceConfig]:
    """Validate the loaded YAML document (``{"sources": [...]}`` or a bare list)."""
    if isinstance(data, Mapping):
        extra = set(data) - {"sources", "defaults"}
        if extra:
            raise ConfigError(file, sorted(extra)[0], "unknown top-level key (expected sources, defaults)")
        defaults = data.get("defaults") or {}
        items = data.get("sources")
    else:
        defaults, items = {}, data
    if items is None:
        items = []
    if not isinstance(items, list):
        raise ConfigError(file, "sources", "must be a list of sources")
    if not isinstance(defaults, Mapping):
        raise ConfigError(file, "defaults", "must be a mapping")
    out: list[SourceConfig] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(items):
        if not isinstance(raw, Mapping):
            raise ConfigError(file, f"sources[{i}]", "must be a mapping")
        merged = {**defaults, **raw}
        try:
            src = SourceConfig.model_validate(merged)
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = [p for p in err["loc"] if p not in ("function-after[_one(), Schedule]",)]
            if err["type"] == "extra_forbidden":
                reason = f"unknown key (allowed here: {', '.join(allowed_keys(loc[:-1]))})"
            else:
                reason = err["msg"].removeprefix("Value error, ")
            more = f" (+{len(exc.errors()) - 1} more)" if len(exc.errors()) > 1 else ""
            raise ConfigError(file, _key_of(loc, i), reason + more) from None
        if src.id in seen:
            raise ConfigError(file, f"sources[{i}].id", f"duplicate id {src.id!r} (also sources[{seen[src.id]}])")
        seen[src.id] = i
        out.append(src)
    return out


def sources_json_schema() -> dict[str, Any]:
    """JSON Schema of a sources file, generated from the models (``laborwatch sources schema``)."""
    source = SourceConfig.model_json_schema(by_alias=True)
    defs = source.pop("$defs", {})
    defaults = dict(source, required=[], title="Defaults")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "laborwatch sources.yaml",
        "description": "Crawl sources; see docs/SOURCES.md for the meaning of every key.",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "defaults": defaults,
            "sources": {"type": "array", "items": {"$ref": "#/$defs/SourceConfig"}},
        },
        "$defs": {**defs, "SourceConfig": source},
    }


def load_sources(path: str | Path) -> list[SourceConfig]:
    """Load and validate a sources file; raises :class:`ConfigError` (file, key, reason)."""
    p = Path(path)
    return parse_sources(load_yaml(p), str(p))


def sources_path(settings: Settings) -> Path:
    return settings.config_file("sources.yaml")


def check_config(settings: Settings) -> list[str]:
    """Validate ``sources.yaml``; return warnings (raises ConfigError when invalid). Used by ``config check``."""
    path = sources_path(settings)
    sources = load_sources(path)
    warnings: list[str] = []
    creds = set(settings.crawl.credentials)
    if not any(s.enabled for s in sources):
        warnings.append(f"{path}: no source is enabled")
    for s in sources:
        if not s.enabled:
            continue
        if s.distributed and not settings.crawl.redis_url:
            warnings.append(f"{s.id}: distributed: true but crawl.redis_url (LW_REDIS_URL) is unset")
        for ref in (s.auth.cookie, s.auth.header):
            if ref and ref not in creds:
                warnings.append(
                    f"{s.id}: credential {ref!r} missing (set LW__CRAWL__CREDENTIALS__{ref.upper()})"
                )
        if s.politeness.obey_robots is False:
            warnings.append(f"{s.id}: ignores robots.txt ({s.politeness.robots_reason})")
    return warnings
