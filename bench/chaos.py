"""Chaos bench (run by hand): crawl the sample sites while something breaks, recover, count what was lost or doubled.

Each round gets a fresh state folder, database, Elasticsearch index prefix and SMTP sink, crawls the bundled sample
site with the real ``laborwatch crawl`` (real NLP, real Elasticsearch, real SQLite, a real SMTP server on loopback)
and injects one fault, chosen at random:

- ``kill_crawl``: ``kill -9`` of the crawl process after a random delay (between indexing and the alert commit, or
  anywhere else);
- ``lock_db``: another process holds SQLite's write lock for longer than the crawl's busy timeout;
- ``es_down``: Elasticsearch goes away mid-crawl (the crawl reaches it through a TCP relay that is cut after a
  random delay: open connections reset, new ones refused);
- ``smtp_down``: the SMTP server answers 451 to everything while the mail is sent;
- ``kill_sender``: ``kill -9`` of ``laborwatch alerts send`` mid-batch (the SMTP server takes 0.2 s per recipient
  in this round, so the kill lands between messages of one batch, before their 'sent' marks are committed);
- ``kill_service``: ``laborwatch run`` starts the crawls (``crawl-now``) and is killed with ``kill -9`` after a
  random delay (its crawls go on as orphans); a restarted service takes over, reconciles and sends;
- ``none``: no fault (the first round, the reference).

Then it recovers the way operators and the service do: ``alerts tick`` (drains the spools, sends the outbox), a
re-crawl without the fault (posts that were not marked seen are collected again), ``alerts tick`` again. It then
checks: every post the reference round indexed is indexed (ids are unique in the index), every alert cluster of
the reference is alerted exactly once, every outbox message was delivered exactly once (Message-IDs at the SMTP
server), nothing is left in the spools.

    LW_ES_URL=http://127.0.0.1:9200 python bench/chaos.py --rounds 6 [--seed 7] [--faults kill_crawl,lock_db]

Prints one line per round and a summary: rounds run, anything lost or doubled. Exit 1 if anything was.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from crawlers.sample_site import DEMO_SOURCES, SampleSite  # noqa: E402
from laborwatch.mailsink import MailSink  # noqa: E402
from lwcore.settings import DEFAULT_CONFIG_DIR  # noqa: E402

FAULTS = ("kill_crawl", "lock_db", "es_down", "smtp_down", "kill_sender", "kill_service")
SOURCES = ("sample-news", "sample-weibo", "sample-board", "sample-forum")


@dataclass
class Outcome:
    round: int
    fault: str
    posts: int = 0
    alerts: list[str] = field(default_factory=list)
    levels: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # cluster -> (level, notified level)
    members: dict[str, frozenset[str]] = field(default_factory=dict)  # cluster -> the post ids it alerted on
    outbox: int = 0
    delivered: int = 0
    duplicate_mail: int = 0
    unsent: int = 0
    spooled: int = 0
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0


class Round:
    def __init__(self, n: int, fault: str, root: Path, site_url: str, es_url: str, smtp: MailSink) -> None:
        self.n = n
        self.fault = fault
        self.dir = root / f"round-{n:03d}"
        self.state = self.dir / "state"
        self.configs = self.dir / "configs"
        self.prefix = f"lwchaos-{uuid.uuid4().hex[:10]}"
        self.es_url = es_url
        self.smtp = smtp
        shutil.copytree(DEFAULT_CONFIG_DIR, self.configs)
        text = DEMO_SOURCES.read_text(encoding="utf-8").replace("{base_url}", site_url)
        (self.configs / "sources.yaml").write_text(text, encoding="utf-8")
        settings = {
            "state_dir": str(self.state),
            "es": {"index_prefix": self.prefix},
            "smtp": {"host": "127.0.0.1", "port": smtp.port, "security": "none", "sender": "chaos@example.org",
                     "timeout_s": 5},
            "alerting": {"admin_emails": ["admin@example.org"], "outbox_backoff_s": 0.0},
            "crawl": {"obey_robots": False, "download_delay_s": 0.0, "autothrottle": False},
            "nlp": {"use_transformer": False},
            "service": {"heartbeat_s": 1.0, "lock_lease_s": 600.0, "spool_drain_s": 5.0, "send_interval_s": 2.0,
                        "shutdown_grace_s": 30.0},
        }
        (self.configs / "settings.yaml").write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("LW_")}
        env.update(LW_ES_URL=self.es_url, LW_SECRET_KEY="chaos-bench-secret", PYTHONPATH=str(REPO))
        env.update(extra)
        return env

    def cli(self, *args: str, env: dict[str, str] | None = None, timeout: float = 600) -> subprocess.Popen[bytes]:
        log = (self.dir / "log.txt").open("ab")
        return subprocess.Popen(
            [sys.executable, "-m", "laborwatch", "--config", str(self.configs / "settings.yaml"), *args],
            env=env or self.env(), stdout=log, stderr=subprocess.STDOUT, cwd=REPO, start_new_session=True,
        )

    def run(self, *args: str, env: dict[str, str] | None = None, timeout: float = 900) -> int:
        proc = self.cli(*args, env=env)
        try:
            return proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            return proc.wait()

    def crawl(self, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        return self.cli("crawl", *SOURCES, "--batch-size", "5", env=env)

    # --- the faults ----------------------------------------------------------------------------------------
    def inject(self, rng: random.Random) -> None:
        if self.fault == "none":
            self.run("crawl", *SOURCES, "--batch-size", "5")
        elif self.fault == "kill_crawl":
            proc = self.crawl()
            time.sleep(rng.uniform(2.0, 10.0))
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        elif self.fault == "lock_db":
            self.run("alerts", "list")  # creates the database
            stop = threading.Event()
            holder = threading.Thread(target=_hold_write_lock, args=(self.state / "laborwatch.db", stop))
            holder.start()
            try:
                self.run("crawl", *SOURCES, "--batch-size", "5")
            finally:
                stop.set()
                holder.join()
        elif self.fault == "es_down":
            relay = Relay(self.es_url)
            try:
                proc = self.crawl(env=self.env(LW_ES_URL=relay.url))
                time.sleep(rng.uniform(2.0, 9.0))
                relay.cut()
                proc.wait(timeout=900)
            finally:
                relay.cut()
        elif self.fault == "smtp_down":
            self.run("crawl", *SOURCES, "--batch-size", "5")
            self.smtp.refuse = True
            try:
                self.run("alerts", "send")
            finally:
                self.smtp.refuse = False
        elif self.fault == "kill_service":
            first = self.start_service()
            asks = [self.cli("crawl-now", sid, "--timeout", "60") for sid in SOURCES]  # all at once
            time.sleep(rng.uniform(3.0, 12.0))
            os.killpg(first.pid, signal.SIGKILL)  # its crawls run in their own sessions: they go on as orphans
            first.wait()
            for ask in asks:
                try:
                    ask.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    os.killpg(ask.pid, signal.SIGKILL)
                    ask.wait()
            second = self.start_service()
            time.sleep(15.0)  # several reconcile (5 s) and send (2 s) periods
            second.send_signal(signal.SIGTERM)
            try:
                second.wait(timeout=120)
            except subprocess.TimeoutExpired:
                os.killpg(second.pid, signal.SIGKILL)
                second.wait()
        elif self.fault == "kill_sender":
            self.run("crawl", *SOURCES, "--batch-size", "5")
            self.smtp.delay_s = 0.2  # type: ignore[attr-defined]
            try:
                proc = self.cli("alerts", "send", "--loop", "--interval", "0.2")
                time.sleep(rng.uniform(2.0, 5.0))
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            finally:
                self.smtp.delay_s = 0.0  # type: ignore[attr-defined]
        else:
            raise SystemExit(f"unknown fault {self.fault!r}")

    def start_service(self) -> subprocess.Popen[bytes]:
        log = self.dir / "log.txt"
        before = log.read_text(encoding="utf-8", errors="replace").count("本进程运行调度器") if log.exists() else 0
        proc = self.cli("--log-level", "INFO", "run", "--no-web")
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if log.read_text(encoding="utf-8", errors="replace").count("本进程运行调度器") > before:
                return proc
            if proc.poll() is not None:
                raise SystemExit(f"round {self.n}: `laborwatch run` exited {proc.returncode}; see {log}")
            time.sleep(0.3)
        raise SystemExit(f"round {self.n}: `laborwatch run` did not become the scheduler; see {log}")

    def recover(self) -> None:
        self.run("alerts", "tick")
        self.run("crawl", *SOURCES, "--batch-size", "5")  # what the next scheduled crawl does
        self.run("alerts", "tick")
        self.run("alerts", "tick")

    # --- the counts ----------------------------------------------------------------------------------------
    def measure(self, out: Outcome, es: Any, first_mail: int) -> None:
        es.indices.refresh(index=f"{self.prefix}*")
        out.posts = int(es.count(index=f"{self.prefix}*").body["count"])
        with sqlite3.connect(self.state / "laborwatch.db") as conn:
            rows_a = conn.execute("SELECT cluster_key, level, notified_level FROM alerts").fetchall()
            out.alerts = sorted(r[0] for r in rows_a)
            out.levels = {r[0]: (r[1], r[2]) for r in rows_a}
            posts_of: dict[str, set[str]] = {}
            for key, post_id in conn.execute(
                    "SELECT a.cluster_key, p.post_id FROM alert_posts p JOIN alerts a ON a.id = p.alert_id"):
                posts_of.setdefault(key, set()).add(post_id)
            out.members = {k: frozenset(posts_of.get(k, ())) for k in out.alerts}
            rows = conn.execute("SELECT status, message_id FROM alert_outbox").fetchall()
        out.outbox = len(rows)
        out.unsent = sum(1 for status, _ in rows if status != "sent")
        ids = Counter(str(m["Message-ID"]) for m in self.smtp.messages[first_mail:])
        out.delivered = len(ids)
        out.duplicate_mail = sum(n - 1 for n in ids.values() if n > 1)
        missing = {mid for _, mid in rows} - set(ids)
        if missing:
            out.problems.append(f"{len(missing)} outbox message(s) never reached the SMTP server")
        for stage in ("index", "alert"):
            spool = self.state / "spool"
            n = sum(sum(1 for line in p.open(encoding="utf-8") if line.strip())
                    for p in spool.glob(f"{stage}-*") if spool.is_dir())
            out.spooled += n
        if out.spooled:
            out.problems.append(f"{out.spooled} item(s) left in the spools")
        if out.unsent:
            out.problems.append(f"{out.unsent} outbox row(s) not sent")
        if out.duplicate_mail:
            out.problems.append(f"{out.duplicate_mail} e-mail(s) delivered twice")

    def cleanup(self, es: Any) -> None:
        for name in es.indices.get(index=f"{self.prefix}-*", allow_no_indices=True, ignore_unavailable=True).body:
            es.indices.delete(index=name, ignore_unavailable=True)


class SlowSink(MailSink):
    """The loopback SMTP server, slowed down before the DATA phase on request (``delay_s`` per recipient)."""

    delay_s = 0.0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802, ANN001, ANN201
        if self.delay_s:
            import asyncio

            await asyncio.sleep(self.delay_s)
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)


class Relay:
    """A TCP relay to Elasticsearch that can be cut: what a node dying mid-crawl looks like to its clients."""

    def __init__(self, target_url: str) -> None:
        from urllib.parse import urlsplit

        parts = urlsplit(target_url)
        self.target = (parts.hostname or "127.0.0.1", parts.port or 9200)
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.conns: list[socket.socket] = []
        self.lock = threading.Lock()
        self.down = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.down:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=10)
            except OSError:
                client.close()
                continue
            with self.lock:
                if self.down:
                    client.close()
                    upstream.close()
                    return
                self.conns += [client, upstream]
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self) -> None:
        with self.lock:
            self.down = True
            conns, self.conns = self.conns, []
        self.listener.close()
        for s in conns:
            try:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                s.close()
            except OSError:
                pass


def _hold_write_lock(db_file: Path, stop: threading.Event) -> None:
    """Hold SQLite's write lock (BEGIN IMMEDIATE) for 15 s or until told to stop: longer than the 10 s busy
    timeout, so the crawl's alert commits fail while it is held."""
    conn = sqlite3.connect(db_file, timeout=30, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        stop.wait(15.0)
        conn.execute("ROLLBACK")
    finally:
        conn.close()


def compare(out: Outcome, reference: Outcome) -> None:
    """Alerts of a round against the reference, an alert being the set of posts it alerted on.

    An incident's key names the post that opened it (``inc-<hash>``), so crawls running side by side (the
    ``kill_service`` round starts one process per source) may open the same incident from another of its posts:
    the key alone is not the identity. Checked: every post the reference alerted on is alerted on, in exactly one
    alert; a reference alert whose posts the round spreads over several alerts is an incident alerted more than
    once (``split``), several reference alerts in one round alert is ``merged``; each alert's final level and
    notified level must match its reference twin."""
    ref_of = {p: k for k, m in reference.members.items() for p in m}
    got_of: dict[str, list[str]] = {}
    for k, m in out.members.items():
        for p in m:
            got_of.setdefault(p, []).append(k)
    lost = sorted(set(ref_of) - set(got_of))
    extra = sorted(set(got_of) - set(ref_of))
    if lost:
        out.problems.append(f"posts alerted in the reference, not in this round: {lost[:5]}")
    if extra:
        out.problems.append(f"posts alerted in this round, not in the reference: {extra[:5]}")
    twice = sorted(p for p, keys in got_of.items() if len(keys) > 1)
    if twice:
        out.problems.append(f"posts in two alerts: {twice[:5]}")
    for rk, members in sorted(reference.members.items()):
        keys = sorted({k for p in members for k in got_of.get(p, [])})
        if len(keys) > 1:
            out.problems.append(f"incident split: the reference's {rk} {sorted(members)} is alerted as {keys}")
    for k, members in sorted(out.members.items()):
        refs = sorted({ref_of[p] for p in members if p in ref_of})
        if len(refs) > 1:
            out.problems.append(f"incidents merged: {k} holds the reference's {refs}")
        elif len(refs) == 1 and reference.members[refs[0]] == members and out.levels[k] != reference.levels[refs[0]]:
            # a level reached but not notified, or a different final level
            out.problems.append(f"level / notified level differ: {k} {out.levels[k]} vs {refs[0]} "
                                f"{reference.levels[refs[0]]}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=6, help="rounds including the reference round (default 6)")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--faults", default=",".join(FAULTS), help="comma-separated subset of " + ", ".join(FAULTS))
    ap.add_argument("--keep", action="store_true", help="keep the rounds' folders")
    args = ap.parse_args()
    es_url = os.environ.get("LW_ES_URL")
    if not es_url:
        print("chaos: set LW_ES_URL to a running Elasticsearch (laborwatch es up)", file=sys.stderr)
        return 2
    faults = [f for f in args.faults.split(",") if f]
    rng = random.Random(args.seed)
    from elasticsearch import Elasticsearch

    es = Elasticsearch(es_url)
    root = Path(tempfile.mkdtemp(prefix="lw-chaos-"))
    site = SampleSite()
    site_url = site.start()
    results: list[Outcome] = []
    reference: Outcome | None = None
    try:
        with SlowSink() as smtp:
            for n in range(args.rounds):
                fault = "none" if n == 0 else rng.choice(faults)
                rnd = Round(n, fault, root, site_url, es_url, smtp)
                out = Outcome(n, fault)
                t0 = time.monotonic()
                first_mail = len(smtp.messages)
                try:
                    rnd.inject(rng)
                    rnd.recover()
                    time.sleep(0.5)
                    rnd.measure(out, es, first_mail)
                finally:
                    rnd.cleanup(es)
                out.seconds = time.monotonic() - t0
                if reference is None:
                    reference = out
                    if not out.posts or not out.alerts:
                        out.problems.append("the reference round indexed or alerted nothing; see its log")
                else:
                    if out.posts != reference.posts:
                        out.problems.append(f"indexed {out.posts} post(s), the reference {reference.posts}")
                    compare(out, reference)
                doubled = [k for k, c in Counter(out.alerts).items() if c > 1]
                if doubled:
                    out.problems.append(f"alerted twice: {doubled}")
                results.append(out)
                status = "OK " if not out.problems else "BAD"
                print(f"round {n:3d} {status} {fault:<12} posts={out.posts} alerts={len(out.alerts)} "
                      f"outbox={out.outbox} delivered={out.delivered} dup_mail={out.duplicate_mail} "
                      f"spooled={out.spooled} {out.seconds:.0f}s {'; '.join(out.problems)}", flush=True)
    finally:
        site.stop()
        es.close()
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
        else:
            print(f"rounds kept in {root}")
    bad = [r for r in results if r.problems]
    print(json.dumps({"rounds": len(results), "faults": dict(Counter(r.fault for r in results)),
                      "rounds_with_loss_or_doubles": len(bad)}, ensure_ascii=False))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
