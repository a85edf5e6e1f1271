"""``python -m bot run``: the action server, Rasa and the web chat as one command.

Rasa and the action server run as child processes bound to loopback; the web chat runs in this
process. Ctrl-C (or SIGTERM) stops all of them. Rasa's HTTP API is enabled only with a token
(``KIM_RASA_TOKEN``, or a random one for this run).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import suppress
from dataclasses import replace
from pathlib import Path

from aiohttp import web

from bot.channels.webchat import create_app
from bot.config import Settings

log = logging.getLogger("bot.runner")
START_TIMEOUT_S = 180


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--no-web", action="store_true", help="start only Rasa and the action server")
    group.add_argument(
        "--web-only",
        action="store_true",
        help="only the web chat, the inbox and the queued work (Rasa runs elsewhere: KIM_RASA_HOST/PORT)",
    )


def child_env(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("HOME", str(settings.data_dir))
    env["SANIC_HOST"] = "127.0.0.1"  # rasa_sdk's action server binds here (default would be 0.0.0.0)
    # endpoints.yml reads these, so tests and benchmarks can run beside a running assistant.
    env["KIM_ACTION_URL"] = f"http://127.0.0.1:{settings.action_port}/webhook"
    env["KIM_TRACKER_DB"] = str(settings.data_dir / "tracker.db")
    # The action server stores handoff cases in the same database as the web process.
    env["KIM_DATA_DIR"] = str(settings.data_dir)
    env["DATABASE_URL"] = settings.db_url
    return env


def rasa_commands(settings: Settings) -> dict[str, list[str]]:
    """The two child processes. Both listen on 127.0.0.1 only."""
    rasa = str(Path(sys.executable).with_name("rasa"))
    return {
        "actions": [rasa, "run", "actions", "--actions", "actions", "--port", str(settings.action_port)],
        "rasa": [
            rasa, "run",
            "--model", str(settings.model_path),
            "--interface", settings.rasa_host,
            "--port", str(settings.rasa_port),
            "--endpoints", settings.endpoints_file,
            "--credentials", "credentials.yml",
            "--enable-api",
            f"--auth-token={settings.rasa_token or ''}",  # "=": a token may start with "-"
        ],
    }  # fmt: skip


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback URL built from settings
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def wait_until_ready(settings: Settings, processes: dict[str, subprocess.Popen[bytes]]) -> None:
    """Block until the action server is healthy and Rasa has loaded its model; fail fast if a child dies."""
    urls = [
        f"http://127.0.0.1:{settings.action_port}/health",
        f"{settings.rasa_url}/status?token={settings.rasa_token}",
    ]
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        for name, process in processes.items():
            if process.poll() is not None:
                raise RuntimeError(f"{name} stopped during start-up (exit code {process.returncode})")
        if all(_answers(url) for url in urls):
            return
        time.sleep(1)
    raise RuntimeError(f"Rasa and the action server did not become ready within {START_TIMEOUT_S} s")


def start_children(settings: Settings) -> dict[str, subprocess.Popen[bytes]]:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    logs = settings.data_dir / "logs"
    logs.mkdir(exist_ok=True)
    processes = {}
    for name, command in rasa_commands(settings).items():
        with open(logs / f"{name}.log", "ab") as out:
            processes[name] = subprocess.Popen(  # noqa: S603 - fixed command, no shell
                command,
                cwd=settings.project_root,
                env=child_env(settings),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
    return processes


def stop_children(processes: dict[str, subprocess.Popen[bytes]]) -> None:
    for process in processes.values():
        if process.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
    for process in processes.values():
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


async def _serve(settings: Settings, *, with_web: bool) -> None:
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    if not with_web:
        await stop.wait()
        return
    runner = web.AppRunner(create_app(settings, worker=True), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, settings.web_host, settings.web_port).start()
    print(
        f"\n  KIM assistant is ready. Open {settings.web_url} in your browser "
        f"(case managers: {settings.web_url}/inbox). Ctrl-C stops it.\n",
        flush=True,
    )
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


def run(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = Settings.from_env()
    if args.web_only:
        with suppress(KeyboardInterrupt):
            asyncio.run(_serve(settings, with_web=True))
        return 0
    if not settings.model_path.exists():
        log.error("no trained model at %s: run `make train` first", settings.model_path)
        return 2
    if settings.rasa_token is None:
        settings = replace(settings, rasa_token=secrets.token_urlsafe(24))
    processes = start_children(settings)
    try:
        log.info("starting Rasa and the action server (about 30 s; logs in %s)", settings.data_dir / "logs")
        wait_until_ready(settings, processes)
        if args.no_web:
            log.info("Rasa is ready at %s (API token required)", settings.rasa_url)
        asyncio.run(_serve(settings, with_web=not args.no_web))
        return 0
    except RuntimeError as exc:
        log.error("%s", exc)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop_children(processes)
        log.info("stopped")
