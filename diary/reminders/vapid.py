"""The diary's VAPID key pair, which identifies it to the browsers' push services.

Generated once into the instance folder (mode 0600, like the secret key) and kept: a new key
would orphan every device's subscription, which is bound to the public key it was made with.
"""

import base64
import os
import secrets
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid

from diary.config import FolderError, user_name

KEY_FILE = "vapid_private_key.pem"


def key_path(instance_path: str) -> Path:
    """The key's file, created on first use."""
    path = Path(instance_path) / KEY_FILE
    if path.exists():
        return path
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    # Written whole under a temporary name (mode 0600 from the start), then linked into place:
    # a process starting at the same moment sees no file or the complete one, never half of it.
    temporary = path.with_name(f"{KEY_FILE}.{secrets.token_hex(8)}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(pem)
        os.link(temporary, path)
    except FileExistsError:
        pass  # the other process's key won; ours is dropped
    except PermissionError:
        raise FolderError(f"{path} cannot be created by user {user_name()}: chown the instance "
                          f"folder (chown -R {user_name()}: {instance_path})") from None
    finally:
        temporary.unlink(missing_ok=True)
    return path


def private_key(instance_path: str) -> Vapid:
    return Vapid.from_file(str(key_path(instance_path)))


def public_key(instance_path: str) -> str:
    """The public key as browsers want it (applicationServerKey): an uncompressed point, base64url."""
    point = private_key(instance_path).public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return base64.urlsafe_b64encode(point).rstrip(b"=").decode()
