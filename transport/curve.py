"""CurveZMQ key pairs: generate, load, pin.

Key files are pyzmq's certificate format (``NAME.key`` public,
``NAME.key_secret`` secret), made by ``zmq.auth.create_certificates``: no
home-made crypto or key format. Which keys a hub allows is the hub's policy,
not transport's.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import zmq
import zmq.auth

KEY_LEN_Z85 = 40


class KeyFileError(ValueError):
    """A key file or key string is missing or wrong; the message says which and why."""


@dataclass(frozen=True)
class KeyPair:
    public: bytes
    """Z85, 40 bytes."""
    secret: bytes | None


def generate(out_dir: Path, name: str) -> tuple[Path, Path]:
    """Write NAME.key and NAME.key_secret (0600) into ``out_dir``."""
    if not zmq.has("curve"):
        raise KeyFileError("this libzmq has no CURVE support")
    out_dir.mkdir(parents=True, exist_ok=True)
    for suffix in (".key", ".key_secret"):
        if (out_dir / f"{name}{suffix}").exists():
            raise KeyFileError(f"{out_dir / (name + suffix)} exists; refusing to overwrite a key")
    public, secret = zmq.auth.create_certificates(str(out_dir), name)
    os.chmod(secret, 0o600)
    return Path(public), Path(secret)


def load_keypair(path: Path, *, need_secret: bool) -> KeyPair:
    if not path.exists():
        raise KeyFileError(f"{path}: not found")
    if not path.is_file():
        raise KeyFileError(f"{path}: not a key file (a directory?)")
    try:
        public, secret = zmq.auth.load_certificate(str(path))
    except OSError as exc:
        raise KeyFileError(f"{path}: cannot read key file: {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise KeyFileError(
            f"{path}: not a key file made by `opsconsole keys generate` ({exc})"
        ) from exc
    if public is None or len(public) != KEY_LEN_Z85:
        raise KeyFileError(f"{path}: no valid public-key line")
    if need_secret and secret is None:
        raise KeyFileError(
            f"{path}: this is a public key file; the secret key is in the matching .key_secret file"
        )
    return KeyPair(public, secret)


def public_key(value: str, base: Path) -> bytes:
    """A pinned public key: 40 Z85 characters, or a path (relative to ``base``) to a key file."""
    if len(value) == KEY_LEN_Z85 and not Path(base, value).exists():
        try:
            zmq.utils.z85.decode(value.encode("ascii"))
        except (ValueError, UnicodeEncodeError) as exc:
            raise KeyFileError(f"{value!r} is not a Z85 public key") from exc
        return value.encode("ascii")
    return load_keypair(Path(base, value), need_secret=False).public
