"""Test helpers for the SIP line: start ``voicebot sip serve``, run the peer, raw SIP over UDP."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PEER = Path(__file__).with_name("sip_peer.py")
VOICEBOT = Path(sys.executable).with_name("voicebot")


@contextmanager
def sip_line(tmp: Path, env: dict[str, str] | None = None, *,
             demo: bool = True) -> Iterator[tuple[str, Path]]:
    """A running ``voicebot sip serve`` (``--demo`` echo unless ``demo=False``) on a free UDP
    port; yields (``HOST:PORT``, stdout file)."""
    with sip_line_process(tmp, env, demo=demo) as (address, out, _):
        yield address, out


@contextmanager
def sip_line_process(
    tmp: Path, env: dict[str, str] | None = None, *, demo: bool = True
) -> Iterator[tuple[str, Path, int]]:
    """As :func:`sip_line`, also yielding the process id."""
    out = tmp / f"line-{uuid.uuid4().hex[:6]}.out"
    full_env = {**os.environ, "VOICEBOT_DATA_DIR": str(tmp), **(env or {})}
    with out.open("wb") as sink, out.with_suffix(".err").open("wb") as errors:
        proc = subprocess.Popen(
            [str(VOICEBOT), "sip", "serve", "--listen", "udp:127.0.0.1:0",
             *(["--demo"] if demo else [])],
            stdout=sink, stderr=errors, env=full_env,
        )
    try:
        address = ""
        deadline = time.monotonic() + 60
        while not address and time.monotonic() < deadline:
            assert proc.poll() is None, out.with_suffix(".err").read_text(errors="replace")
            for line in out.read_text(errors="replace").splitlines():
                if line.startswith("sip: listening on udp:"):
                    address = line.split("udp:", 1)[1].split()[0]
            time.sleep(0.1)
        assert address, "the line did not start listening"
        yield address, out, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def call_summaries(out: Path) -> list[dict[str, object]]:
    """The demo line's per-call JSON summaries so far."""
    rows = []
    for line in out.read_text(errors="replace").splitlines():
        if line.startswith('{"call"'):
            rows.append(json.loads(line)["call"])
    return rows


def run_peer(address: str, *args: str, timeout: float = 40) -> dict[str, object]:
    """Dial the line with the pjsua2 peer in its own process; its JSON outcome."""
    done = subprocess.run(
        [sys.executable, str(PEER), f"sip:12368@{address}", *args],
        capture_output=True, text=True, timeout=timeout, check=False,
    )
    lines = [x for x in done.stdout.splitlines() if x.startswith("{")]
    assert done.returncode == 0 and lines, done.stdout[-2000:] + done.stderr[-2000:]
    return json.loads(lines[-1])  # type: ignore[no-any-return]


SDP_PCMU = (
    "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
    "m=audio 40000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
)
SDP_G729_ONLY = (
    "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
    "m=audio 40000 RTP/AVP 18\r\na=rtpmap:18 G729/8000\r\n"
)


class RawSip:
    """A bare UDP socket speaking hand-written SIP, for malformed and hostile requests."""

    def __init__(self, address: str) -> None:
        host, port = address.rsplit(":", 1)
        self.target = (host, int(port))
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]

    def close(self) -> None:
        self.sock.close()

    def request(self, method: str, call_id: str, *, body: str = "", cseq: int = 1,
                to_tag: str = "", extra: str = "", content_type: str = "application/sdp",
                raw: bytes | None = None) -> None:
        """Send one request (``raw`` sends exactly those bytes)."""
        if raw is None:
            to = f"<sip:12368@{self.target[0]}>" + (f";tag={to_tag}" if to_tag else "")
            lines = [
                f"{method} sip:12368@{self.target[0]}:{self.target[1]} SIP/2.0",
                f"Via: SIP/2.0/UDP 127.0.0.1:{self.port};branch=z9hG4bK{uuid.uuid4().hex};rport",
                "Max-Forwards: 70",
                "From: <sip:tester@127.0.0.1>;tag=t" + call_id[:8],
                f"To: {to}",
                f"Call-ID: {call_id}",
                f"CSeq: {cseq} {method}",
                f"Contact: <sip:tester@127.0.0.1:{self.port}>",
            ]
            if extra:
                lines.append(extra)
            if body:
                lines.append(f"Content-Type: {content_type}")
            lines.append(f"Content-Length: {len(body.encode())}")
            raw = ("\r\n".join(lines) + "\r\n\r\n" + body).encode()
        self.sock.sendto(raw, self.target)

    def responses(self, seconds: float) -> list[str]:
        """Every message received within ``seconds``."""
        got: list[str] = []
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            self.sock.settimeout(left)
            try:
                data, _ = self.sock.recvfrom(65535)
            except TimeoutError:
                break
            got.append(data.decode(errors="replace"))
        return got

    def final(self, call_id: str, seconds: float = 3.0) -> tuple[int, str]:
        """The first final (>= 200) response for ``call_id``: (status, message)."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            for msg in self.responses(min(left, 0.3)):
                first = msg.split("\r\n", 1)[0].split()
                if len(first) >= 2 and first[0] == "SIP/2.0" and f"Call-ID: {call_id}" in msg:
                    code = int(first[1])
                    if code >= 200:
                        return code, msg
        return 0, ""


def header(message: str, name: str) -> str:
    """A header's value in a raw message."""
    for line in message.split("\r\n"):
        key, _, value = line.partition(":")
        if key.strip().lower() == name.lower():
            return value.strip()
    return ""
