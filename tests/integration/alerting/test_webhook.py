"""The webhook notifier against a real HTTP server on loopback (WeCom markdown body, error classes)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from alerting_it_support import settings_for  # type: ignore[import-not-found]

from alerting.errors import PermanentDeliveryError, TemporaryDeliveryError
from alerting.notifiers import OutgoingMessage, build_notifier

pytestmark = pytest.mark.integration


@pytest.fixture
def http_server():
    received: list[tuple[str, dict]] = []
    status = {"code": 200, "body": b'{"errcode": 0, "errmsg": "ok"}'}

    class H(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            n = int(self.headers["Content-Length"])
            received.append((self.path, json.loads(self.rfile.read(n))))
            self.send_response(status["code"])
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(status["body"])

        def log_message(self, *a):
            pass

    srv = HTTPServer(("127.0.0.1", 0), H)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        yield srv.server_address[1], received, status
    finally:
        srv.shutdown()
        srv.server_close()


def test_wecom_markdown_post_and_errors(tmp_path, http_server):
    port, received, status = http_server
    settings = settings_for(tmp_path, 25)
    hooks = {"duty_group": (f"http://127.0.0.1:{port}/cgi-bin/webhook/send?key=k", "wecom")}
    n = build_notifier("webhook", settings, hooks=hooks)
    msg = OutgoingMessage(
        1,
        "duty_group",
        "【一级预警】某公司疑似群体性事件（2条相关信息）",
        {"markdown": "**一级预警**", "text": "t"},
        "<m1@x>",
    )
    with n:
        n.send(msg)
        assert received == [
            ("/cgi-bin/webhook/send?key=k", {"msgtype": "markdown", "markdown": {"content": "**一级预警**"}})
        ]
        status["code"] = 503
        with pytest.raises(TemporaryDeliveryError):
            n.send(msg)
        status["code"], status["body"] = 200, b'{"errcode": 93000, "errmsg": "invalid webhook url"}'
        with pytest.raises(PermanentDeliveryError, match="93000"):
            n.send(msg)
        with pytest.raises(PermanentDeliveryError, match="unknown webhook"):
            n.send(OutgoingMessage(2, "nosuch", "s", {}, "<m2@x>"))
