"""Event clustering: near-duplicate posts and reposts about one incident share a stable ``event_id``.

- Employer known (linked registry id, else the normalised mention): ``ev-`` + hash(employer, primary event type,
  ISO week of the post). Deterministic, so another process computes the same id without shared state.
- Otherwise a 64-bit SimHash of character 2-grams of the normalised text (repost markers, @names, URLs and
  #topics# stripped) is looked up in a bounded in-process index (8 bands of 8 bits; Hamming distance <=
  ``max_distance``; within ``window_days``). A hit reuses that event's id; a miss creates ``ev-s`` + the
  SimHash (deterministic too: an identical repost gets the same id in any process).
- :meth:`EventClusterer.seed` loads (text, event_id, time) from earlier runs so reposts seen later in another
  process still join the same event. The index keeps at most ``capacity`` entries (oldest dropped first).
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable
from datetime import datetime, timedelta

__all__ = ["EventClusterer", "simhash", "hamming"]

_STRIP = re.compile(r"//@[^:：\s]{1,30}[:：]|@[^\s:：,，]{1,30}|https?://\S+|#[^#]{1,40}#|转发微博|网页链接|\s+")
_MASK64 = (1 << 64) - 1
_NB, _BW, _BM = 8, 8, 0xFF  # 8 bands of 8 bits: any pair within Hamming 7 shares a band


def _h64(s: str) -> int:
    return int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "big")


def simhash(text: str, n: int = 2) -> int:
    t = _STRIP.sub("", text)
    if not t:
        return 0
    grams = [t[i : i + n] for i in range(max(len(t) - n + 1, 1))]
    v = [0] * 64
    for g in set(grams):
        h = _h64(g)
        for i in range(64):
            v[i] += 1 if (h >> i) & 1 else -1
    out = 0
    for i in range(64):
        if v[i] > 0:
            out |= 1 << i
    return out


def hamming(a: int, b: int) -> int:
    return ((a ^ b) & _MASK64).bit_count()


class EventClusterer:
    def __init__(self, *, capacity: int = 50_000, max_distance: int = 7, window_days: float = 14.0) -> None:
        self.capacity = capacity
        self.max_distance = max_distance
        self.window = timedelta(days=window_days)
        self._entries: OrderedDict[int, tuple[str, datetime | None]] = OrderedDict()  # simhash -> (id, time)
        self._bands: list[dict[int, set[int]]] = [{} for _ in range(_NB)]
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def assign(
        self,
        text: str,
        *,
        employer_key: str | None = None,
        event_type: str | None = None,
        when: datetime | None = None,
    ) -> str:
        sh = simhash(text)
        with self._lock:
            found = self._lookup(sh, when)
            if found is not None:
                eid = found
            elif employer_key:
                bucket = ""
                if when is not None:
                    y, w, _ = when.isocalendar()
                    bucket = f"{y}-W{w:02d}"
                eid = "ev-" + hashlib.sha1(f"{employer_key}|{event_type or ''}|{bucket}".encode()).hexdigest()[:16]
            else:
                eid = f"ev-s{sh:016x}"
            if sh:
                self._add(sh, eid, when)
        return eid

    def seed(self, items: Iterable[tuple[str, str, datetime | None]]) -> int:
        """Load (text, event_id, time) of earlier posts; returns how many were added."""
        n = 0
        with self._lock:
            for text, eid, when in items:
                sh = simhash(text)
                if sh:
                    self._add(sh, eid, when)
                    n += 1
        return n

    def _lookup(self, sh: int, when: datetime | None) -> str | None:
        if not sh:
            return None
        cands: set[int] = set()
        for b in range(_NB):
            cands |= self._bands[b].get((sh >> (_BW * b)) & _BM, set())
        best: tuple[int, str] | None = None
        for c in cands:
            d = hamming(sh, c)
            if d > self.max_distance:
                continue
            eid, t = self._entries[c]
            if when is not None and t is not None and abs(when - t) > self.window:
                continue
            if best is None or d < best[0]:
                best = (d, eid)
        return best[1] if best else None

    def _add(self, sh: int, eid: str, when: datetime | None) -> None:
        if sh in self._entries:
            self._entries.move_to_end(sh)
            return
        self._entries[sh] = (eid, when)
        for b in range(_NB):
            self._bands[b].setdefault((sh >> (_BW * b)) & _BM, set()).add(sh)
        while len(self._entries) > self.capacity:
            old, _ = self._entries.popitem(last=False)
            for b in range(_NB):
                key = (old >> (_BW * b)) & _BM
                s = self._bands[b].get(key)
                if s is not None:
                    s.discard(old)
                    if not s:
                        del self._bands[b][key]
