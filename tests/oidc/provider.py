"""A real OpenID Provider for the tests: Node's certified ``oidc-provider`` package
(tests/oidc/provider/provider.mjs) in a process of its own on 127.0.0.1, and a small
proxy in front of its token endpoint that can spoil the ID token it hands back (wrong
audience, expired, bad signature, an earlier sign-in's token replayed).

The package is installed into tests/oidc/provider/node_modules from its lock file
(``npm ci``) the first time it is needed. Without Node or the package the tests that use
it skip, unless HELHEDSPLANER_REQUIRE_OIDC is set (CI): then they fail.
"""

import base64
import json
import os
import shutil
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa

HERE = Path(__file__).resolve().parent / "provider"
CLIENT_ID = "helhedsplaner"
CLIENT_SECRET = "helhedsplaner-test-secret-0123456789"  # noqa: S105


def unavailable(message: str):
    if os.environ.get("HELHEDSPLANER_REQUIRE_OIDC"):
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_installed() -> None:
    if not shutil.which("node") or not shutil.which("npm"):
        unavailable("Node.js is missing: the OIDC tests need it for their provider")
    if (HERE / "node_modules" / "oidc-provider" / "package.json").exists():
        return
    result = subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
        cwd=HERE,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode:
        unavailable(f"npm ci of the test provider failed: {result.stderr[-2000:]}")


class Provider:
    """The running provider: its issuer, the private key it signs with, its accounts."""

    def __init__(self, *, redirect_uri: str, post_logout_uri: str, workdir: Path):
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key))
        self.kid = "test-key-1"
        jwk.pop("key_ops", None)  # ["sign"] only: the provider also verifies with it
        jwk.update({"kid": self.kid, "alg": "RS256", "use": "sig"})
        self.accounts_file = workdir / "accounts.json"
        self.set_accounts({})
        env = {
            **os.environ,
            "OP_PORT": str(self.port),
            "OP_JWKS": json.dumps({"keys": [jwk]}),
            "OP_ACCOUNTS": str(self.accounts_file),
            "OP_CLIENT": json.dumps(
                {
                    "client_id": CLIENT_ID,
                    "client_secret": CLIENT_SECRET,
                    "redirect_uris": [redirect_uri],
                    "post_logout_redirect_uris": [post_logout_uri],
                }
            ),
        }
        self.log = (workdir / "provider.log").open("w")
        self.process = subprocess.Popen(
            ["node", str(HERE / "provider.mjs")],
            cwd=HERE,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                requests.get(f"{self.issuer}/.well-known/openid-configuration", timeout=1)
                return
            except requests.RequestException:
                time.sleep(0.2)
        self.stop()
        output = Path(self.log.name).read_text()
        pytest.fail(f"the test OpenID Provider did not start: {output[-2000:]}")

    def set_accounts(self, accounts: dict) -> None:
        """The provider's users ({login: claims}); read again at every sign-in."""
        self.accounts_file.write_text(json.dumps(accounts))

    def sign(self, payload: dict) -> str:
        return jwt.encode(payload, self.key, algorithm="RS256", headers={"kid": self.kid})

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


class TokenProxy:
    """Forwards the provider's metadata (naming itself as the token endpoint) and token
    requests; ``mode`` spoils the ID token of the next answers: "audience", "expired",
    "signature", "replay" (the last good answer again), or None (untouched)."""

    def __init__(self, provider: Provider):
        self.provider = provider
        self.mode = None
        self.last_good = None
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status, body: bytes, content_type: str):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):  # noqa: N802
                upstream = requests.get(f"{provider.issuer}{self.path}", timeout=10)
                body = upstream.content
                if self.path.startswith("/.well-known/openid-configuration"):
                    document = upstream.json()
                    document["token_endpoint"] = f"{proxy.url}/token"
                    body = json.dumps(document).encode()
                self._send(upstream.status_code, body, upstream.headers["Content-Type"])

            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length", 0))
                upstream = requests.post(
                    f"{provider.issuer}{self.path}",
                    data=self.rfile.read(length),
                    headers={"Content-Type": self.headers["Content-Type"]},
                    timeout=10,
                )
                answer = upstream.json()
                if upstream.status_code == 200 and "id_token" in answer:
                    answer = proxy.spoil(answer)
                self._send(upstream.status_code, json.dumps(answer).encode(), "application/json")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def discovery_url(self) -> str:
        return f"{self.url}/.well-known/openid-configuration"

    def spoil(self, answer: dict) -> dict:
        if self.mode is None:
            self.last_good = answer
            return answer
        if self.mode == "replay":
            return self.last_good
        claims = jwt.decode(answer["id_token"], options={"verify_signature": False})
        if self.mode == "audience":
            token = self.provider.sign({**claims, "aud": "another-application"})
        elif self.mode == "expired":
            now = int(time.time())
            token = self.provider.sign({**claims, "iat": now - 7200, "exp": now - 3600})
        elif self.mode == "signature":
            header, _payload, signature = answer["id_token"].split(".")
            changed = {**claims, "groups": [*claims.get("groups", []), "grp-admin"]}
            payload = base64.urlsafe_b64encode(json.dumps(changed).encode()).rstrip(b"=")
            token = f"{header}.{payload.decode()}.{signature}"
        else:
            raise ValueError(self.mode)
        return {**answer, "id_token": token}

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
