"""Compile a per-codepoint normalisation map into a SentencePiece "precompiled charsmap".

``tokenizers.normalizers.Precompiled`` reads the format SentencePiece uses: a little-endian u32 with the byte size
of a darts-clone double-array trie, the trie's u32 units, then a blob of NUL-terminated replacement strings.
The trie maps the UTF-8 bytes of a source codepoint to the offset of its replacement in the blob. One
``Precompiled`` normaliser applies the whole map in a single pass (a Sequence of thousands of ``Replace``
rules would cost milliseconds per text).

Unit encoding (darts-clone): ``label`` in bits 0..7, ``has_leaf`` bit 8, the offset to the node's children
block in bits 10..31 (XOR addressing: child with byte ``c`` sits at ``base ^ c``, ``offset = pos ^ base``);
value units hold ``value | 1 << 31`` at ``base ^ 0``.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping

__all__ = ["build_precompiled_charsmap", "lookup_precompiled_charsmap"]

_MAX_OFFSET = 1 << 21  # offsets below this need no extra shift bits


def build_precompiled_charsmap(norm_map: Mapping[str, str]) -> bytes:
    """Encode ``{source string: replacement}`` as a precompiled charsmap (keys must not contain NUL)."""
    blob = bytearray()
    values: dict[bytes, int] = {}
    for src, dst in sorted(norm_map.items()):
        key = src.encode("utf-8")
        if not key or 0 in key or "\x00" in dst:
            continue  # a NUL stops the trie search; such keys can never match
        values[key] = len(blob)
        blob += dst.encode("utf-8") + b"\x00"

    # Byte trie: node -> {byte: child}; leaf values on nodes ending a key.
    children: list[dict[int, int]] = [{}]
    leaf: list[int | None] = [None]
    for key, value in values.items():
        node = 0
        for byte in key:
            nxt = children[node].get(byte)
            if nxt is None:
                nxt = len(children)
                children[node][byte] = nxt
                children.append({})
                leaf.append(None)
            node = nxt
        leaf[node] = value

    units: list[int] = [0] * 1024
    used = bytearray(1024)
    used[0] = 1
    used_bases: set[int] = set()
    pos_of = {0: 0}
    search_from = 256

    def ensure(size: int) -> None:
        if size > len(units):
            grow = max(size, 2 * len(units)) - len(units)
            units.extend([0] * grow)
            used.extend(bytes(grow))

    order = [0]
    i = 0
    while i < len(order):
        node = order[i]
        i += 1
        labels = sorted(children[node])
        slots = labels + ([0] if leaf[node] is not None else [])
        if not slots:
            continue
        first = slots[0]
        free = search_from
        while True:
            ensure((free | 0xFF) + 257)
            if used[free]:
                free += 1
                continue
            base = free ^ first
            if base >= 256 and base not in used_bases and all(not used[base ^ c] for c in slots):
                break
            free += 1
        used_bases.add(base)
        while search_from < len(used) and used[search_from]:
            search_from += 1
        pos = pos_of[node]
        offset = pos ^ base
        if offset >= _MAX_OFFSET:
            raise ValueError("normalisation map too large for a simple double-array layout")
        units[pos] = (units[pos] & 0x1FF) | (offset << 10)
        leaf_value = leaf[node]
        if leaf_value is not None:
            units[base] = leaf_value | (1 << 31)
            used[base] = 1
            units[pos] |= 1 << 8
        for c in labels:
            child = children[node][c]
            cpos = base ^ c
            used[cpos] = 1
            units[cpos] = c
            pos_of[child] = cpos
            order.append(child)
    last = max((p for p, u in enumerate(used) if u), default=0) + 1
    # The reader does not bounds-check: every block a lookup can probe (base ^ any byte) must exist.
    last = max([last, 256, *((b | 0xFF) + 1 for b in used_bases)])
    ensure(last)
    trie = struct.pack(f"<{last}I", *units[:last])
    return struct.pack("<I", len(trie)) + trie + bytes(blob)


def lookup_precompiled_charsmap(charsmap: bytes, text: str) -> str | None:
    """Replacement for the shortest key prefixing ``text`` (as tokenizers' ``Precompiled`` does), or None."""
    (size,) = struct.unpack_from("<I", charsmap, 0)
    units = struct.unpack_from(f"<{size // 4}I", charsmap, 4)
    blob = charsmap[4 + size:]
    pos = units[0] >> 10
    for c in text.encode("utf-8"):
        if c == 0:
            break
        pos ^= c
        unit = units[pos] if pos < len(units) else 0
        if (unit & ((1 << 31) | 0xFF)) != c:
            return None
        pos ^= unit >> 10
        if unit & (1 << 8):
            value = units[pos] & ((1 << 31) - 1)
            end = blob.index(b"\x00", value)
            return blob[value:end].decode("utf-8")
    return None
