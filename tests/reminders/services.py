"""Real servers on loopback for the reminder tests: an SMTP server (aiosmtpd) and a push service.

The push service is what a browser vendor runs: it accepts a message only with a valid VAPID
token (ES256 over the JWT, signed by the key the subscription was made with, for this origin,
not expired) and keeps the payload decrypted as the device would (RFC 8291, aes128gcm), with the
device's private key and auth secret. Paths under /gone/ answer 410, as for an unsubscribed device.
"""

import base64
import json
import os
import socket
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage as Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from aiosmtpd.controller import Controller
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """aiosmtpd handler: every message the server accepted, parsed."""

    def __init__(self):
        self.messages: list[Message] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 OK"


class SmtpServer:
    def __init__(self):
        self.inbox = Inbox()
        self.port = free_port()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    def config(self) -> dict:
        return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": self.port, "SMTP_SECURITY": "none",
                "SMTP_FROM": "Pain diary <diary@example.org>", "PUBLIC_URL": "https://diary.example.org"}


@dataclass
class Device:
    """A browser's push subscription: its own key pair and auth secret."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    auth_secret: bytes = field(default_factory=lambda: os.urandom(16))

    def form(self) -> dict:
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
        return {"endpoint": self.endpoint, "p256dh": b64url(point), "auth": b64url(self.auth_secret)}


@dataclass
class Delivery:
    path: str
    payload: dict
    claims: dict


class PushService:
    def __init__(self, vapid_public_key: str):
        self.vapid_public_key = vapid_public_key  # the diary's, as the subscription was made with
        self.devices: dict[str, Device] = {}
        self.delivered: list[Delivery] = []
        self.refused: list[str] = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status, reason = service.receive(self.path, self.headers, body)  # names in any case
                self.send_response(status)
                self.end_headers()
                self.wfile.write(reason.encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def device(self, name: str) -> Device:
        device = Device(f"{self.origin}/{name}")
        self.devices[f"/{name}"] = device
        return device

    def check_vapid(self, authorization: str) -> dict:
        scheme, _, parameters = authorization.partition(" ")
        assert scheme == "vapid", authorization
        values = dict(part.strip().split("=", 1) for part in parameters.split(","))
        assert values["k"] == self.vapid_public_key, "signed with another key than the subscription's"
        header, claims, signature = values["t"].split(".")
        assert json.loads(unb64url(header)) == {"typ": "JWT", "alg": "ES256"}
        raw = unb64url(signature)
        key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(values["k"]))
        key.verify(encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")),
                   f"{header}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
        claims = json.loads(unb64url(claims))
        assert claims["aud"] == self.origin
        assert time.time() < claims["exp"] <= time.time() + 24 * 3600  # RFC 8292: at most 24 h
        assert claims["sub"].startswith(("mailto:", "https:"))
        return claims

    def receive(self, path: str, headers, body: bytes) -> tuple[int, str]:
        try:
            claims = self.check_vapid(headers.get("Authorization", ""))
        except (AssertionError, InvalidSignature, KeyError, ValueError) as problem:
            self.refused.append(f"{path}: {problem!r}")
            return 401, "bad VAPID token"
        if path.startswith("/gone/"):
            return 410, "no such subscription"
        device = self.devices.get(path)
        if device is None or headers.get("Content-Encoding") != "aes128gcm":
            self.refused.append(f"{path}: unknown device or encoding")
            return 404, "unknown"
        payload = http_ece.decrypt(body, private_key=device.private_key,
                                   auth_secret=device.auth_secret, version="aes128gcm")
        self.delivered.append(Delivery(path, json.loads(payload), claims))
        return 201, "created"
