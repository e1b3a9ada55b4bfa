"""A local OpenID Connect provider, like ProConnect, for the sign-in tests.

A real HTTP server (``http.server``) in a thread on 127.0.0.1: discovery document, JWKS (an RSA
key made here), ``/authorize`` (sends the browser back with a code and the state), ``/token``
(an RS256 ID token carrying the nonce) and ``/userinfo`` (a signed JWT, as ProConnect answers).
The test says who signs in (``provider.email``) and may make it sign with another key.
"""

import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

KID = "test-key-1"


class LocalOIDCProvider:
    def __init__(self, client_id: str):
        self.client_id = client_id
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.wrong_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.email = "agent@example.gouv.fr"
        self.sign_id_token_with_wrong_key = False
        self.codes: dict[str, dict] = {}
        self.token_requests: list[dict] = []
        self.id_tokens: list[str] = []
        self.logouts: list[dict] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> "LocalOIDCProvider":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def jwks(self) -> dict:
        public = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": KID, "alg": "RS256", "use": "sig"}]}

    def sign(self, claims: dict, *, wrong_key: bool = False) -> str:
        key = self.wrong_key if wrong_key else self.key
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": KID})

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status, body=b"", content_type="application/json", headers=None):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _json(self, data, status=200):
                self._send(status, json.dumps(data).encode())

            def do_GET(self):
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    self._json(
                        {
                            "issuer": provider.issuer,
                            "authorization_endpoint": f"{provider.issuer}/authorize",
                            "token_endpoint": f"{provider.issuer}/token",
                            "userinfo_endpoint": f"{provider.issuer}/userinfo",
                            "jwks_uri": f"{provider.issuer}/jwks",
                            "end_session_endpoint": f"{provider.issuer}/session/end",
                            "id_token_signing_alg_values_supported": ["RS256"],
                        }
                    )
                elif url.path == "/session/end":
                    provider.logouts.append(query)
                    self._send(302, headers={"Location": query["post_logout_redirect_uri"]})
                elif url.path == "/jwks":
                    self._json(provider.jwks())
                elif url.path == "/authorize":
                    if query.get("client_id") != provider.client_id:
                        self._json({"error": "invalid_client"}, status=400)
                        return
                    code = secrets.token_urlsafe(16)
                    provider.codes[code] = {"nonce": query.get("nonce"), "email": provider.email}
                    target = f"{query['redirect_uri']}?" + urlencode(
                        {"code": code, "state": query["state"]}
                    )
                    self._send(302, headers={"Location": target})
                elif url.path == "/userinfo":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    grant = provider.codes.get(token)
                    if grant is None:
                        self._json({"error": "invalid_token"}, status=401)
                        return
                    claims = {
                        "iss": provider.issuer,
                        "aud": provider.client_id,
                        "sub": f"sub-{grant['email']}",
                        "email": grant["email"],
                        "given_name": "Agent",
                        "usual_name": "Public",
                    }
                    self._send(200, provider.sign(claims).encode(), "application/jwt")
                else:
                    self._json({"error": "not_found"}, status=404)

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                provider.token_requests.append(form)
                if urlparse(self.path).path != "/token":
                    self._json({"error": "not_found"}, status=404)
                    return
                grant = provider.codes.get(form.get("code", ""))
                if grant is None or form.get("client_id") != provider.client_id:
                    self._json({"error": "invalid_grant"}, status=400)
                    return
                now = int(time.time())
                id_token = provider.sign(
                    {
                        "iss": provider.issuer,
                        "aud": provider.client_id,
                        "sub": f"sub-{grant['email']}",
                        "nonce": grant["nonce"],
                        "iat": now,
                        "exp": now + 60,
                        "acr": "eidas1",
                    },
                    wrong_key=provider.sign_id_token_with_wrong_key,
                )
                provider.id_tokens.append(id_token)
                # The access token is the code itself: /userinfo finds the grant by it.
                self._json(
                    {
                        "access_token": form["code"],
                        "token_type": "Bearer",
                        "expires_in": 60,
                        "id_token": id_token,
                    }
                )

        return Handler
