"""Nothing is lost when the web process (web chat, inbox, queued work) is killed between a reply and
its delivery: the reply waits in the database and reaches the session that owns the case, only it.

The web process runs as a real subprocess (``python -m bot run --web-only``) and is killed with
SIGKILL twice: while the reply is being translated, and after it was sent but before the browser
fetched it. Rasa and the action server are not on the delivery path, so they are not started.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.channels.session import COOKIE_NAME, SessionSigner
from bot.handoff.models import Message, ReplyDraft
from bot.handoff.service import create_case, create_draft, send_draft
from tests.handoff.factories import intake

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class WebProcess:
    def __init__(self, data_dir: Path, db_url: str) -> None:
        self.port = _free_port()
        self.env = {
            **os.environ,
            "KIM_DATA_DIR": str(data_dir),
            "DATABASE_URL": db_url,
            "KIM_WEB_PORT": str(self.port),
            "KIM_RASA_PORT": str(_free_port()),  # nothing listens: the assistant is not needed here
            "KIM_TRANSLATION_MODELS_DIR": str(data_dir / "no-models"),
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", "--web-only"],
            cwd=REPO,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1)
                return
            except OSError:
                time.sleep(0.2)
        raise AssertionError("the web process did not start")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def browser(self) -> urllib.request.OpenerDirector:
        """A browser session: visiting the page issues its cookie."""
        jar = CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        opener.open(f"http://127.0.0.1:{self.port}/", timeout=5).read()
        opener.jar = jar  # type: ignore[attr-defined]
        return opener

    def updates(self, opener: urllib.request.OpenerDirector) -> dict:
        with opener.open(f"http://127.0.0.1:{self.port}/api/updates?after=0&wait=0", timeout=10) as response:
            return json.loads(response.read())


def _sender(data_dir: Path, opener) -> str:
    token = next(c.value for c in opener.jar if c.name == COOKIE_NAME)
    return SessionSigner.from_settings(None, data_dir).sender_id(token)


def _wait_for(db, predicate, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with db.session() as session:
            if predicate(session):
                return
        time.sleep(0.2)
    raise AssertionError("the queued work did not finish")


def test_a_reply_survives_kills_of_the_web_process_and_reaches_only_its_session(tmp_path, db, roster):
    web = WebProcess(tmp_path, db.url)
    web.start()
    try:
        owner, stranger = web.browser(), web.browser()
        sender = _sender(tmp_path, owner)
        created = create_case(db, roster, intake(channel_user=sender, language="ar", description="مرحبا"))
        web.kill()  # down while the case manager writes: the reply waits in the queue
        draft_id = create_draft(db, created.case_id, "j.beispielmann", "Bitte kommen Sie am Montag.")

        web.start()
        _wait_for(db, lambda s: s.get(ReplyDraft, draft_id).state != "pending")
        message_id = send_draft(db, draft_id, "j.beispielmann")
        web.kill()  # killed after sending, before the browser fetched the reply

        web.start()
        assert web.updates(stranger)["messages"] == []
        delivered = web.updates(owner)["messages"]
        assert [m["id"] for m in delivered] == [message_id]
        assert delivered[0]["original"] == "Bitte kommen Sie am Montag."
        assert delivered[0]["untranslated"] is True  # no model installed here: German, with a note
        with db.session() as session:
            assert session.execute(select(Message.delivered_at).where(Message.id == message_id)).scalar()
        assert web.updates(stranger)["messages"] == []
    finally:
        if web.process and web.process.poll() is None:
            web.kill()
