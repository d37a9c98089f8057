"""Real HTTP servers on loopback that check what the Chinese-office notifiers send, as the real services would.

- :class:`WeComRobotServer`: ``/cgi-bin/webhook/send?key=<key>``; a wrong key answers ``errcode 93000``.
- :class:`DingTalkRobotServer`: ``/robot/send?access_token=..&timestamp=..&sign=..``; the sign is recomputed
  from the secret (HMAC-SHA256 of "timestamp\\nsecret", Base64) and the timestamp must be within an hour, else
  ``errcode 310000`` (what DingTalk answers).
- :class:`SmsGatewayServer`: the generic SMS gateway of ``alerting.notifiers.sms``; verifies the HMAC headers
  (401 on a bad signature) and answers ``{"code": 0, "id": ...}``.

Each records the requests it accepted (``accepted``) and the ones it refused (``refused``). ``fail_with`` makes
the next answers an HTTP status, ``answer_with`` an HTTP 200 body (a rate limit, a busy gateway). A server can be started on the port of a stopped one (``port=``), to play an
endpoint that was down and comes back.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


class _Server:
    def __init__(self, port: int = 0) -> None:
        self.accepted: list[dict[str, Any]] = []
        self.refused: list[dict[str, Any]] = []
        self.fail_with: int | None = None
        self.answer_with: dict[str, Any] | None = None  # an HTTP 200 answer in place of the checked one
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                parts = urlsplit(self.path)
                req = {
                    "path": parts.path,
                    "query": {k: v[0] for k, v in parse_qs(parts.query).items()},
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "raw": raw,
                    "json": json.loads(raw or b"null"),
                }
                if owner.fail_with is not None:
                    status, answer = owner.fail_with, {"error": "induced"}
                elif owner.answer_with is not None:
                    status, answer = 200, owner.answer_with
                else:
                    status, answer = owner.answer(req)
                (owner.accepted if status == 200 and answer.get("errcode", 0) == 0 and answer.get("code", 0) == 0
                 else owner.refused).append(req)
                body = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a: object) -> None:
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        self._srv = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = self._srv.server_address[1]
        self._thread = threading.Thread(target=self._srv.serve_forever, daemon=True)
        self._thread.start()

    def answer(self, req: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        raise NotImplementedError

    def stop(self) -> None:
        self._srv.shutdown()
        self._srv.server_close()

    def __enter__(self) -> _Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class WeComRobotServer(_Server):
    def __init__(self, key: str, port: int = 0) -> None:
        self.key = key
        super().__init__(port)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/cgi-bin/webhook/send"

    def answer(self, req: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if req["path"] != "/cgi-bin/webhook/send" or req["query"].get("key") != self.key:
            return 200, {"errcode": 93000, "errmsg": "invalid webhook url"}
        body = req["json"]
        if body.get("msgtype") != "markdown" or not body.get("markdown", {}).get("content"):
            return 200, {"errcode": 40008, "errmsg": "invalid message type"}
        return 200, {"errcode": 0, "errmsg": "ok"}


class DingTalkRobotServer(_Server):
    def __init__(self, token: str, secret: str, port: int = 0) -> None:
        self.token, self.secret = token, secret
        super().__init__(port)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/robot/send"

    def answer(self, req: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        q = req["query"]
        if q.get("access_token") != self.token:
            return 200, {"errcode": 300001, "errmsg": "token is not exist"}
        ts = q.get("timestamp", "")
        if not ts.isdigit() or abs(int(ts) - time.time() * 1000) > 3600 * 1000:
            return 200, {"errcode": 310000, "errmsg": "invalid timestamp"}
        mac = hmac.new(self.secret.encode(), f"{ts}\n{self.secret}".encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(base64.b64encode(mac).decode(), q.get("sign", "")):
            return 200, {"errcode": 310000, "errmsg": "sign not match"}
        md = req["json"].get("markdown") or {}
        if req["json"].get("msgtype") != "markdown" or not md.get("title") or not md.get("text"):
            return 200, {"errcode": 40035, "errmsg": "missing markdown"}
        return 200, {"errcode": 0, "errmsg": "ok"}


class SmsGatewayServer(_Server):
    def __init__(self, key_id: str, secret: str, port: int = 0) -> None:
        self.key_id, self.secret = key_id, secret
        super().__init__(port)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/send"

    def answer(self, req: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        h = req["headers"]
        ts, nonce = h.get("x-lw-timestamp", ""), h.get("x-lw-nonce", "")
        want = hmac.new(self.secret.encode(), f"{ts}\n{nonce}\n".encode() + req["raw"], hashlib.sha256).hexdigest()
        if h.get("x-lw-key-id") != self.key_id or not hmac.compare_digest(want, h.get("x-lw-signature", "")):
            return 401, {"code": 401, "message": "bad signature"}
        if not ts.isdigit() or abs(int(ts) - time.time()) > 300:
            return 401, {"code": 401, "message": "stale timestamp"}
        body = req["json"]
        if not str(body.get("to", "")).replace("-", "").isdigit():
            return 200, {"code": 1001, "message": "invalid phone number"}
        return 200, {"code": 0, "id": f"sms-{len(self.accepted) + 1}"}
