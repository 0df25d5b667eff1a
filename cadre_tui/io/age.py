"""Writing age files (age-encryption.org/v1) with a passphrase (scrypt) recipient of a fixed work factor.

Why not pyrage's writer: it picks the scrypt work factor by timing the machine (~1 s), and scrypt's
memory is 1 KiB x 2^log_n, so a fast laptop writes log_n 19-20 and needs 512 MiB-1 GiB to write the
bundle, and as much again on every laptop that opens it (measured: 1,088 MB peak). Here log_n is fixed
at 16 (64 MiB, a quarter second), inside the 250 MB budget of SPEC §9 on both ends. The file is plain
age: pyrage, `age -d` and rage read it (reading stays with pyrage: `io/bundle_import.py`).

The format (https://age-encryption.org/v1): a text header holding one `scrypt` stanza (salt, log_n, the
16-byte file key wrapped with ChaCha20-Poly1305 under scrypt(passphrase)), closed by an HMAC of the
header; then a 16-byte nonce and the payload in 64 KiB chunks of ChaCha20-Poly1305 (STREAM), the last
one flagged.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Callable

from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

LOG_N = 16
CHUNK = 64 * 1024
_VERSION_LINE = b"age-encryption.org/v1"
_SCRYPT_LABEL = b"age-encryption.org/v1/scrypt"


def _b64(data: bytes) -> bytes:
    """age's base64: standard alphabet, no padding."""
    return base64.b64encode(data).rstrip(b"=")


def _hkdf(key: bytes, salt: bytes, info: bytes) -> bytes:
    """HKDF-SHA256 (RFC 5869), 32 bytes."""
    prk = hmac.new(salt, key, hashlib.sha256).digest()
    return hmac.new(prk, info + b"\x01", hashlib.sha256).digest()


def encrypt(plaintext: bytes, passphrase: str, log_n: int = LOG_N) -> bytes:
    """`plaintext` as an age file for `passphrase` (scrypt work factor 2^log_n)."""
    return sealer(passphrase, log_n)(plaintext)


def sealer(passphrase: str, log_n: int = LOG_N) -> Callable[[bytes], bytes]:
    """The key work of `encrypt` done now (scrypt: 2^log_n KiB of memory and most of its time), the
    payload sealed later by the function returned. A caller that derives first, before building the
    payload, keeps scrypt's memory out of the payload's peak (bundle export)."""
    file_key = os.urandom(16)
    salt = os.urandom(16)
    wrap_key = hashlib.scrypt(
        passphrase.encode("utf-8"),
        salt=_SCRYPT_LABEL + salt,
        n=2**log_n,
        r=8,
        p=1,
        maxmem=2 ** (log_n + 11),
        dklen=32,
    )
    body = ChaCha20Poly1305(wrap_key).encrypt(b"\x00" * 12, file_key, None)
    encoded = _b64(body)
    lines = [encoded[i : i + 64] for i in range(0, len(encoded), 64)]
    if len(encoded) % 64 == 0:
        lines.append(b"")  # a stanza body ends with a line shorter than 64 columns
    header = _VERSION_LINE + b"\n" + b"-> scrypt " + _b64(salt) + b" " + str(log_n).encode() + b"\n"
    header += b"\n".join(lines) + b"\n" + b"---"
    mac = hmac.new(_hkdf(file_key, b"", b"header"), header, hashlib.sha256).digest()

    def seal(plaintext: bytes) -> bytes:
        nonce = os.urandom(16)
        stream = ChaCha20Poly1305(_hkdf(file_key, nonce, b"payload"))
        out = [header, b" ", _b64(mac), b"\n", nonce]
        count = max(1, -(-len(plaintext) // CHUNK))
        for i in range(count):
            last = i == count - 1
            chunk_nonce = i.to_bytes(11, "big") + (b"\x01" if last else b"\x00")
            out.append(stream.encrypt(chunk_nonce, plaintext[i * CHUNK : (i + 1) * CHUNK], None))
        return b"".join(out)

    return seal
