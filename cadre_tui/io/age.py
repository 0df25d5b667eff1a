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
import threading
from collections.abc import Callable
from typing import Any

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
    """The key work of `encrypt` started now (scrypt, on another thread), the payload sealed by the
    function returned."""
    sealing = Sealing(passphrase, log_n)

    def seal(plaintext: bytes) -> bytes:
        out: list[bytes] = []
        payload = sealing.payload(out.append)
        payload.write(plaintext)
        payload.close()
        return sealing.header() + b"".join(out)

    return seal


class Sealing:
    """One age file for `passphrase`, its payload encrypted as it is written.

    scrypt (2^log_n KiB of memory, most of the time) runs on its own thread from the start: hashlib
    releases the GIL, so on a second core it costs no wall time while the payload is made. The payload
    needs only the random file key, not scrypt's result; only the header (the file key wrapped under
    scrypt's key) waits for it. Its length is known from the start (`header_size`), so a file can
    leave room for it and write it last.
    """

    def __init__(self, passphrase: str, log_n: int = LOG_N) -> None:
        self.log_n = log_n
        self.file_key = os.urandom(16)
        self.salt = os.urandom(16)
        self.header_size = len(self._header(bytes(32)))
        self._wrap_key: bytes | None = None
        self._failed: BaseException | None = None
        self._thread = threading.Thread(target=self._derive, args=(passphrase,), daemon=True)
        self._thread.start()

    def _derive(self, passphrase: str) -> None:
        try:
            self._wrap_key = hashlib.scrypt(
                passphrase.encode("utf-8"),
                salt=_SCRYPT_LABEL + self.salt,
                n=2**self.log_n,
                r=8,
                p=1,
                maxmem=2 ** (self.log_n + 11),
                dklen=32,
            )
        except BaseException as exc:  # handed to the thread that asks for the header
            self._failed = exc

    def header(self) -> bytes:
        """The file's header, through the newline that ends its MAC (waits for scrypt)."""
        self._thread.join()
        if self._failed is not None:
            raise self._failed
        assert self._wrap_key is not None
        return self._header(ChaCha20Poly1305(self._wrap_key).encrypt(b"\x00" * 12, self.file_key, None))

    def _header(self, body: bytes) -> bytes:
        encoded = _b64(body)
        lines = [encoded[i : i + 64] for i in range(0, len(encoded), 64)]
        if len(encoded) % 64 == 0:
            lines.append(b"")  # a stanza body ends with a line shorter than 64 columns
        header = (
            _VERSION_LINE + b"\n" + b"-> scrypt " + _b64(self.salt) + b" " + str(self.log_n).encode() + b"\n"
        )
        header += b"\n".join(lines) + b"\n" + b"---"
        mac = hmac.new(_hkdf(self.file_key, b"", b"header"), header, hashlib.sha256).digest()
        return header + b" " + _b64(mac) + b"\n"

    def payload(self, write: Callable[[bytes], object]) -> Payload:
        """A writable stream of the payload: what follows the header, encrypted, goes to `write`."""
        return Payload(self.file_key, write)


class Payload:
    """age's payload as a write-only stream: a 16-byte nonce, then ChaCha20-Poly1305 chunks of 64 KiB
    (STREAM), the last one flagged at `close`. A chunk is held back until more data shows it is not
    the last."""

    def __init__(self, file_key: bytes, write: Callable[[bytes], object]) -> None:
        nonce = os.urandom(16)
        self._stream = ChaCha20Poly1305(_hkdf(file_key, nonce, b"payload"))
        self._write = write
        self._buffer = bytearray()
        self._count = 0
        self.closed = False
        write(nonce)

    def write(self, data: Any) -> int:
        """Take `data` (bytes-like); the whole chunks it completes are sealed and written."""
        self._buffer += data
        if len(self._buffer) > CHUNK:
            whole = (len(self._buffer) - 1) // CHUNK * CHUNK  # at least one byte stays for the last
            for start in range(0, whole, CHUNK):
                self._seal(bytes(self._buffer[start : start + CHUNK]), last=False)
            del self._buffer[:whole]
        return len(data)

    def flush(self) -> None:
        """Nothing: a chunk is written once it is whole (zipfile flushes its stream)."""

    def close(self) -> None:
        """Seal and write the last chunk (flagged as the last)."""
        if not self.closed:
            self._seal(bytes(self._buffer), last=True)
            self._buffer = bytearray()
            self.closed = True

    def _seal(self, chunk: bytes, *, last: bool) -> None:
        nonce = self._count.to_bytes(11, "big") + (b"\x01" if last else b"\x00")
        self._write(self._stream.encrypt(nonce, chunk, None))
        self._count += 1
