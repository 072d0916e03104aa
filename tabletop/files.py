"""Reading files named by users or by journals: regular files of bounded size only.

A path recorded in a journal may point anywhere (``/dev/zero``, a FIFO,
``/proc/self/environ``): :func:`read_regular` opens without blocking, refuses
anything but a regular file and never reads more than the limit.
"""

from __future__ import annotations

import hashlib
import os
import stat

#: Largest scenario, rule-pack or script file tabletop reads (bytes).
MAX_SOURCE_BYTES = 4 * 1024 * 1024


class NotRegularFile(OSError):
    """The path is a device, a FIFO, a socket or a directory."""


class FileTooLarge(OSError):
    """The file is larger than the limit."""


def read_regular(path: str | os.PathLike[str], limit: int = MAX_SOURCE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    The file is opened non-blocking (a FIFO cannot hang the caller) and checked
    with ``fstat`` on the open descriptor before anything is read.

    Raises:
        FileNotFoundError, PermissionError, IsADirectoryError: as ``open`` does.
        NotRegularFile: a device, FIFO or socket.
        FileTooLarge: more than ``limit`` bytes.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(f"{os.fsdecode(path)}: is a directory")
        if not stat.S_ISREG(st.st_mode):
            raise NotRegularFile(f"{os.fsdecode(path)}: not a regular file")
        if st.st_size > limit:
            raise FileTooLarge(f"{os.fsdecode(path)}: {st.st_size} bytes, more than {limit}")
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:  # grew while being read
                raise FileTooLarge(f"{os.fsdecode(path)}: more than {limit} bytes")
        return b"".join(chunks)
    finally:
        os.close(fd)


def sha256_regular(path: str | os.PathLike[str], limit: int = MAX_SOURCE_BYTES) -> str:
    """sha256 (hex) of a regular file read with :func:`read_regular`."""
    return hashlib.sha256(read_regular(path, limit)).hexdigest()
