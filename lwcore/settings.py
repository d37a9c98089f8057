"""Settings: loaded once at the entry point, validated, frozen, passed down by argument.

Layers, lowest first: defaults in the models below -> ``configs/settings.yaml`` -> environment -> command line.
No other module reads the environment: the CLI calls :func:`load_settings` and hands the result on.

Environment overrides (secrets only ever come from here):

- named shortcuts: ``LW_ES_URL``, ``LW_ES_USERNAME``, ``LW_ES_PASSWORD``, ``LW_ES_API_KEY``, ``LW_ES_CA_FILE``,
  ``LW_DB_URL``, ``LW_SMTP_HOST``, ``LW_SMTP_PORT``, ``LW_SMTP_USER``, ``LW_SMTP_PASSWORD``, ``LW_SMTP_SECURITY``,
  ``LW_SMTP_SENDER``, ``LW_SECRET_KEY``, ``LW_STATE_DIR``, ``LW_REDIS_URL``, ``LW_BASE_URL``;
- any key: ``LW__SECTION__KEY=value`` (double underscores), e.g. ``LW__NLP__BATCH_SIZE=32``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator, model_validator

from lwcore.errors import ConfigError

__all__ = [
    "REPO_ROOT",
    "DEFAULT_CONFIG_DIR",
    "Settings",
    "EsSettings",
    "LocalEsSettings",
    "DbSettings",
    "SmtpSettings",
    "CrawlSettings",
    "FreshnessSettings",
    "SensitivePeriodSettings",
    "NlpSettings",
    "LearningSettings",
    "AlertingSettings",
    "WebSettings",
    "ServiceSettings",
    "load_settings",
    "load_yaml",
]

#: The SQLite database file in the state folder (when ``db.url`` is not set).
SQLITE_FILE = "laborwatch" + ".db"  # spelled in two parts so scripts/dev/ground_floor.py never reads it as a module

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG_DIR = REPO_ROOT / "configs"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LocalEsSettings(_Frozen):
    """The single local node the project provisions when no ``LW_ES_URL`` is given."""

    version: str = "9.5.0"
    port: int = Field(9200, ge=1024, le=65535)
    heap: str = Field("512m", pattern=r"^\d+[mg]$")
    java_home: str | None = None  # None: pick a JDK under /usr/lib/jvm that the version supports
    run_as_user: str = "laborwatch-es"  # Elasticsearch refuses to run as root
    startup_timeout_s: float = Field(180.0, gt=0)


class EsSettings(_Frozen):
    url: str | None = None  # None: the local node (see `laborwatch es up`)
    username: str | None = None
    password: SecretStr | None = None
    api_key: SecretStr | None = None
    ca_file: str | None = None
    verify_certs: bool = True
    index_prefix: str = Field("laborwatch-posts", pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    request_timeout_s: float = Field(30.0, gt=0)
    bulk_chunk_size: int = Field(500, ge=1, le=10000)
    bulk_max_retries: int = Field(3, ge=0, le=20)
    bulk_initial_backoff_s: float = Field(1.0, ge=0)
    # a snapshot repository registered on the cluster (shared file system, S3) for `laborwatch backup`; None: an fs
    # repository under the node's path.repo on this host (the local node), else a document export
    snapshot_repository: str | None = None
    local: LocalEsSettings = LocalEsSettings()


class DbSettings(_Frozen):
    url: str | None = None  # None: sqlite file under the state directory
    echo: bool = False


class SmtpSettings(_Frozen):
    host: str = "127.0.0.1"
    port: int = Field(25, ge=1, le=65535)
    security: Literal["none", "starttls", "ssl"] = "none"
    username: str | None = None
    password: SecretStr | None = None
    sender: str = "laborwatch@localhost"
    timeout_s: float = Field(20.0, gt=0)


class SensitivePeriodSettings(_Frozen):
    """Dates (inclusive) when every crawl bound is multiplied by ``factor`` (e.g. the Import Expo weeks)."""

    name: str = Field(min_length=1)
    start: date
    end: date
    factor: float = Field(0.5, gt=0, le=1)

    @model_validator(mode="after")
    def _order(self) -> SensitivePeriodSettings:
        if self.end < self.start:
            raise ValueError(f"sensitive period {self.name!r}: end {self.end} is before start {self.start}")
        return self


class FreshnessSettings(_Frozen):
    """The adaptive crawl schedule (issue 21; policy in crawlers/schedule.py)."""

    enabled: bool = True  # false: every interval source runs on its fixed interval as before
    tick_s: float = Field(60.0, ge=10, le=3600)  # how often the scheduler asks whether a source is due
    # what a run's yield counts: "new" posts (any new post: measured faster within the same requests, see
    # bench/freshness.py) or only the "relevant" ones (labour-dispute posts)
    signal: Literal["new", "relevant"] = "new"
    grow: float = Field(1.1, ge=1, le=10)  # interval factor after a run that yielded nothing
    shrink: float = Field(0.5, gt=0, le=1)  # interval factor after a run that yielded
    history_runs: int = Field(8, ge=0, le=100)  # recent runs the interval is adapted from
    follow_interval_s: float = Field(180.0, ge=60)  # crawl interval of the sources that found a hot incident
    follow_levels: tuple[Literal["I", "II", "III", "IV"], ...] = ("I", "II")
    calm_after_s: float = Field(7200.0, gt=0)  # an incident without a new post for this long has calmed
    follow_terms_max: int = Field(6, ge=0, le=50)  # extra search terms (employer, place + employer) per crawl
    domain_requests_per_hour: int = Field(240, ge=1)  # default politeness budget of a domain
    domain_budgets: dict[str, int] = {}  # domain -> requests per hour (a parent domain covers subdomains)
    # a search source searches every term at least as often as this share of its domain's hourly budget pays
    # for (crawlers.schedule.affordable_bounds); 0: off
    budget_share: float = Field(0.2, ge=0, le=1)  # 0.25 overspent requests on seed 2 of the bench
    # the sensitive periods of alert_rules.yaml (进博会 ...) tighten every crawl bound by this factor;
    # sensitive_periods below add periods (or other factors) for crawling only
    sensitive_factor: float = Field(0.5, gt=0, le=1)
    sensitive_periods: tuple[SensitivePeriodSettings, ...] = ()


class CrawlSettings(_Frozen):
    user_agent: str = "laborwatch/0.1 (+labour-bureau public-opinion monitor)"
    obey_robots: bool = True
    concurrent_requests_per_domain: int = Field(2, ge=1, le=64)
    download_delay_s: float = Field(1.0, ge=0)
    download_timeout_s: float = Field(30.0, gt=0)
    max_response_bytes: int = Field(10 * 1024 * 1024, ge=1024)
    retry_times: int = Field(3, ge=0)
    autothrottle: bool = True
    run_time_limit_s: float = Field(1800.0, gt=0)
    redis_url: str | None = None
    proxy: str | None = None
    # platform cookies/tokens by name, referenced from sources.yaml `auth:`; only from the environment:
    # LW__CRAWL__CREDENTIALS__WEIBO_COOKIE=... (crawlers room)
    credentials: dict[str, SecretStr] = {}
    retry_backoff_s: float = Field(2.0, ge=0)  # first retry delay on 429/5xx/timeouts, doubled per retry (crawlers)
    conditional_requests: bool = True  # list pages and feeds: If-None-Match / If-Modified-Since, 304 = unchanged
    # deliver collected posts to the pipeline (NLP, index, alerts) once the first waited this long, not only
    # every batch_size posts and at the crawl's end (0: off); a 72-term search crawl lasts minutes
    flush_after_s: float = Field(20.0, ge=0)
    freshness: FreshnessSettings = FreshnessSettings()


class LearningSettings(_Frozen):
    """The learning loop (nlp/learning.py, nlp/drift.py, laborwatch/web/review.py): retraining, gate, queue, drift."""

    data: str | None = None  # shared labelled JSONL; None: ../shared/data/labeled/train.jsonl (skipped when absent)
    retrain_cron: str = "0 3 * * 0"  # service: `nlp retrain` (crontab; default Sundays 03:00); "" turns it off
    retrain_memory_mb: int = Field(2048, ge=256)  # the retrain subprocess's memory limit (RLIMIT_DATA)
    retrain_timeout_s: float = Field(3 * 3600.0, gt=0)
    folds: int = Field(3, ge=2, le=10)  # cross-validation folds for the candidate's threshold
    seed: int = 13
    encoder: bool | None = None  # candidate's encoder member: None = when the built base is there
    eval_percent: int = Field(20, ge=1, le=50)  # share of verified posts frozen into the evaluation slice
    min_eval_items: int = Field(30, ge=1)  # fewer verified posts in the slice: the gate cannot judge (refuses)
    min_slice_support: int = Field(10, ge=1)  # a slice counts for the gate from this many positives
    gate_margin: float = Field(0.01, ge=0, le=1)  # a figure may fall by at most this before the gate refuses
    auto_promote: bool = False  # a candidate that passes the gate is promoted without an administrator
    review_daily_cap: int = Field(20, ge=1, le=500)  # 待复核 posts a day (~30 s each: ten minutes)
    review_random_share: float = Field(0.2, ge=0, le=1)  # of which random unflagged posts (missed disputes)
    review_days: int = Field(7, ge=1, le=90)  # the queue draws from posts of the last N days
    drift_time: str = Field("06:30", pattern=r"^\d{2}:\d{2}$")  # service: yesterday's drift check
    drift_history_days: int = Field(28, ge=3, le=365)
    drift_min_posts: int = Field(30, ge=1)  # a source-day with fewer posts is not judged
    drift_psi: float = Field(0.25, gt=0)  # score-distribution PSI above this is a sudden change
    drift_share_z: float = Field(4.0, gt=0)  # flagged share / unknown-word rate: z-score vs own history

    @field_validator("retrain_cron")
    @classmethod
    def _cron_fields(cls, v: str) -> str:
        if v.strip() and len(v.split()) != 5:
            raise ValueError(f"retrain_cron {v!r}: expected 5 crontab fields (minute hour day month weekday) or ''")
        return v.strip()


class NlpSettings(_Frozen):
    model_dir: str | None = None  # None: the promoted bundle (<state>/models/active.json), else the committed one
    base_dir: str | None = None  # None: <state>/models/base (built by `laborwatch nlp build-base`)
    device: str = "cpu"
    batch_size: int = Field(16, ge=1, le=1024)
    max_length: int = Field(256, ge=16, le=512)
    threshold: float | None = Field(None, ge=0, le=1)  # None: the threshold stored with the model
    use_transformer: bool = True  # the bundle's neural parts (the e5 encoder member); false: TF-IDF member only
    embed_relevant: bool = True  # relevant posts carry the encoder's embedding for incident tracking
    learning: LearningSettings = LearningSettings()


class TrackingSettings(_Frozen):
    """Incident tracking (alerting/tracking.py): which open alert a relevant post joins."""

    mode: Literal["tracker", "event_id"] = "tracker"  # event_id: the NLP key (employer, type, ISO week), as before
    idle_days: float = Field(7.0, gt=0, le=90)  # an incident stays open while it had a post within this
    join_threshold: float = 1.5  # evidence score a post needs to join an open incident
    merge_threshold: float = 3.0  # a post naming firms of two open incidents (both this sure) merges them
    # evidence weights fitted on labelled pairs (`laborwatch alerts tracker-fit`); none: the hand-set weights
    weights_file: str | None = None


class AlertingSettings(_Frozen):
    base_url: str = "http://127.0.0.1:8080"  # used in links inside emails
    secret_key: SecretStr | None = None  # signs acknowledgement links; from LW_SECRET_KEY
    ack_token_ttl_s: int = Field(7 * 24 * 3600, gt=0)
    outbox_max_attempts: int = Field(50, ge=1)
    outbox_backoff_s: float = Field(5.0, ge=0)
    outbox_backoff_max_s: float = Field(600.0, ge=0)
    admin_emails: tuple[str, ...] = ()
    briefing_emails: tuple[str, ...] = ()
    insecure_dev_secret: bool = False  # alerting: allow a fixed dev secret for ack links when LW_SECRET_KEY is unset
    dispatch_inline: bool = True  # alerting: send the outbox right after AlertEngine.process commits
    dispatch_background: bool = False  # alerting: that send runs in the engine's thread; process() does not wait
    snippet_chars: int = Field(200, ge=40, le=2000)  # alerting: evidence snippet length in emails
    tracking: TrackingSettings = TrackingSettings()


class WebSettings(_Frozen):
    host: str = "127.0.0.1"
    port: int = Field(8080, ge=1, le=65535)
    session_ttl_s: int = Field(12 * 3600, gt=0)
    cookie_secure: bool | None = None  # web: Secure flag on cookies (HTTPS); None = when alerting.base_url is https
    export_roles: tuple[str, ...] = ("admin", "duty", "verifier", "readonly")  # web: roles that may download exports


class ServiceSettings(_Frozen):
    timezone: str = "Asia/Shanghai"
    daily_digest_time: str = Field("08:30", pattern=r"^\d{2}:\d{2}$")
    daily_briefing_time: str = Field("09:00", pattern=r"^\d{2}:\d{2}$")
    index_retention_days: int = Field(730, ge=1)
    source_failure_alert_after: int = Field(3, ge=1)
    # scheduler service (laborwatch/service): lock lease, job options, shutdown
    lock_lease_s: float = Field(60.0, gt=0)  # a dead scheduler's lock is taken over after this
    heartbeat_s: float = Field(15.0, gt=0)  # lease renewal, reload-flag and sources-file polling period
    misfire_grace_time_s: int = Field(600, ge=1)  # a run missed by less than this still runs (once: coalesce)
    max_parallel_crawls: int = Field(4, ge=1, le=64)
    shutdown_grace_s: float = Field(10.0, ge=0)  # on SIGTERM, running crawls may finish within this
    crawl_stop_timeout_s: float = Field(60.0, gt=0)  # then SIGTERM to the crawl; SIGKILL after this
    nightly_check_time: str = Field("02:30", pattern=r"^\d{2}:\d{2}$")  # config/roster check
    retention_time: str = Field("03:30", pattern=r"^\d{2}:\d{2}$")  # index retention
    spool_drain_s: float = Field(30.0, gt=0)  # replay the index/alert spools and abandoned hand-off journals
    worker_wait_s: float = Field(120.0, ge=0)  # a crawl's end waits this long for crawl workers still on it
    send_interval_s: float = Field(5.0, gt=0)  # the service's sender: outbox dispatch period (crawls only enqueue)
    subscriptions_interval_s: float = Field(600.0, gt=0)  # saved-search subscriptions checked this often
    field_reports_interval_s: float = Field(60.0, gt=0)  # pending 网格上报 / 12345 tickets analysed this often
    field_reports_time_limit_s: float = Field(900.0, gt=0)  # one `reports process` run may take this long
    crawl_command: tuple[str, ...] = ()  # empty: `python -m laborwatch crawl`; else argv with {python}
    #   {config} {source} {stats} placeholders (wrappers such as nice/systemd-run, or tests' fake crawls)


class Settings(_Frozen):
    district: str = "青浦区"
    bureau: str = "上海市青浦区人力资源和社会保障局"
    state_dir: str | None = None  # None: <repo>/var
    config_dir: str | None = None  # where every other config file lives (LW__CONFIG_DIR); None: see config_file
    settings_file: str | None = None  # the settings file that was read (set by load_settings)
    es: EsSettings = EsSettings()
    db: DbSettings = DbSettings()
    smtp: SmtpSettings = SmtpSettings()
    crawl: CrawlSettings = CrawlSettings()
    nlp: NlpSettings = NlpSettings()
    alerting: AlertingSettings = AlertingSettings()
    web: WebSettings = WebSettings()
    service: ServiceSettings = ServiceSettings()

    @property
    def state_path(self) -> Path:
        return Path(self.state_dir) if self.state_dir else REPO_ROOT / "var"

    @property
    def config_path(self) -> Path:
        """The folder config files are looked up in first (see :meth:`config_file`)."""
        if self.config_dir:
            return Path(self.config_dir)
        if self.settings_file:
            return Path(self.settings_file).parent
        return DEFAULT_CONFIG_DIR

    @property
    def db_url(self) -> str:
        return self.db.url or f"sqlite:///{self.state_path / SQLITE_FILE}"

    def config_file(self, name: str) -> Path:
        """Path of another config file (sources.yaml, alert_rules.yaml, companies.csv...).

        With ``config_dir`` set, every file is read there. Otherwise a file beside the settings file (``--config``)
        is read when it exists there, and the project's ``configs/`` copy when it does not: pointing ``--config``
        at a folder holding only some of the files no longer loses the others. ``laborwatch config check`` prints
        where each file is read from."""
        if self.config_dir:
            return Path(self.config_dir) / name
        if self.settings_file:
            beside = Path(self.settings_file).parent / name
            if beside.exists():
                return beside
        return DEFAULT_CONFIG_DIR / name


_ENV_SHORTCUTS: dict[str, tuple[str, ...]] = {
    "LW_ES_URL": ("es", "url"),
    "LW_ES_USERNAME": ("es", "username"),
    "LW_ES_PASSWORD": ("es", "password"),
    "LW_ES_API_KEY": ("es", "api_key"),
    "LW_ES_CA_FILE": ("es", "ca_file"),
    "LW_ES_PORT": ("es", "local", "port"),
    "LW_DB_URL": ("db", "url"),
    "LW_SMTP_HOST": ("smtp", "host"),
    "LW_SMTP_PORT": ("smtp", "port"),
    "LW_SMTP_USER": ("smtp", "username"),
    "LW_SMTP_PASSWORD": ("smtp", "password"),
    "LW_SMTP_SECURITY": ("smtp", "security"),
    "LW_SMTP_SENDER": ("smtp", "sender"),
    "LW_SECRET_KEY": ("alerting", "secret_key"),
    "LW_BASE_URL": ("alerting", "base_url"),
    "LW_STATE_DIR": ("state_dir",),
    "LW_REDIS_URL": ("crawl", "redis_url"),
}


def load_yaml(path: Path) -> Any:
    """Read a YAML file, turning syntax errors into :class:`ConfigError` with the line."""
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except FileNotFoundError:
        raise ConfigError(str(path), "", "file not found") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(str(path), where, f"invalid YAML: {problem}") from None


def _set_path(tree: dict[str, Any], keys: tuple[str, ...], value: Any) -> None:
    node = tree
    for key in keys[:-1]:
        child = node.get(key)
        if not isinstance(child, dict):
            child = {}
            node[key] = child
        node = child
    node[keys[-1]] = value


def _env_layer(environ: Mapping[str, str]) -> dict[str, Any]:
    layer: dict[str, Any] = {}
    for name, keys in _ENV_SHORTCUTS.items():
        if environ.get(name):
            _set_path(layer, keys, environ[name])
    for name, value in environ.items():
        if name.startswith("LW__"):
            keys = tuple(part.lower() for part in name[4:].split("__") if part)
            if keys:
                _set_path(layer, keys, value)
    return layer


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def load_settings(
    path: str | Path | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Load settings: defaults -> YAML file -> environment -> overrides (command line).

    ``path`` defaults to ``LW_CONFIG`` from ``environ`` or ``configs/settings.yaml``. A missing default file is
    fine (defaults apply); a missing explicit file is an error. Raises :class:`ConfigError` naming the
    file, the dotted key and the reason.
    """
    env = os.environ if environ is None else environ
    explicit = path is not None or bool(env.get("LW_CONFIG"))
    cfg_path = Path(path or env.get("LW_CONFIG") or DEFAULT_CONFIG_DIR / "settings.yaml")
    data: dict[str, Any] = {}
    if cfg_path.exists():
        loaded = load_yaml(cfg_path)
        if loaded is None:
            loaded = {}
        if not isinstance(loaded, dict):
            raise ConfigError(str(cfg_path), "", "top level must be a mapping of sections")
        data = loaded
    elif explicit:
        raise ConfigError(str(cfg_path), "", "file not found")
    data = _merge(data, _env_layer(env))
    if overrides:
        data = _merge(data, overrides)
    if cfg_path.exists():
        data.setdefault("settings_file", str(cfg_path.resolve()))
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(p) for p in err["loc"])
        source = str(cfg_path)
        if err["type"] == "extra_forbidden":
            reason = "unknown key"
        else:
            secret = any(word in key for word in ("password", "api_key", "secret"))
            reason = err["msg"] if secret else f"{err['msg']} (got {err.get('input')!r})"
        more = f" (+{len(exc.errors()) - 1} more)" if len(exc.errors()) > 1 else ""
        raise ConfigError(source, key, reason + more) from None
