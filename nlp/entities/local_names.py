"""Name shapes of local news sites and posts that the suffix walk of :mod:`nlp.entities.employers` does not see
by itself (issue 14): a quoted 字号 inside a registered name (“乐活”餐饮管理有限公司) and a chain store's branch
named by a district town (好又多超市赵巷店, XX便利店徐泾分店).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["BranchStores", "quoted_part_before"]

# a quoted 字号 right before the rest of a name: “乐活”餐饮, 「鑫源」小吃店 (at most 10 characters inside)
_QUOTED = re.compile(r"[“\"「『‘][\u4e00-\u9fffA-Za-z0-9·&]{1,10}[”\"」』’]$")


def quoted_part_before(text: str, i: int) -> int | None:
    """Start of a quoted 字号 that ends right before position ``i`` (the name goes on after it), else None."""
    m = _QUOTED.search(text, max(0, i - 12), i)
    return m.start() if m else None


# what a chain store's parent ends with before the branch's town (好又多超市 + 赵巷 + 店)
_PARENT_SHOP = r"(?:超市|商场|百货|便利店|便利|药房|大药房|餐厅|酒家|酒楼|火锅|快餐|面馆|饭店|公司|有限公司|集团|银行|家居|家电|电器)"
# characters that end the parent's name when walking left (a function word or pronoun of the sentence)
_STOP_CHARS = set("在是到的了和与对向被给把由从为及我你他她它们这那该此其个家")
_MAX_PARENT = 12


class BranchStores:
    """Chain-store branches named by a town or place of the district: the whole, as written."""

    def __init__(self, places: Iterable[str]) -> None:
        names = sorted({p for p in places if len(p) >= 2}, key=len, reverse=True)
        self._re = re.compile(
            rf"{_PARENT_SHOP}(?P<place>{'|'.join(map(re.escape, names))})(?:分店|门店|店)") if names else None

    def find(self, text: str) -> list[tuple[str, int]]:
        """(branch name, start) for each branch store in ``text``; the parent's name runs left from its shop word
        over name characters up to a function character or punctuation (好又多超市赵巷店)."""
        if self._re is None:
            return []
        out: list[tuple[str, int]] = []
        for m in self._re.finditer(text):
            i = m.start()
            while i > 0 and m.start() - i < _MAX_PARENT and re.match(r"[\u4e00-\u9fffA-Za-z0-9]", text[i - 1]) \
                    and text[i - 1] not in _STOP_CHARS:
                i -= 1
            if m.start() - i >= 2:  # a parent name before the shop word, not a bare 超市赵巷店
                out.append((text[i: m.end()], i))
        return out
