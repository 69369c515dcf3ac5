"""The fake gateway: HELLO, IDENTIFY/READY, heartbeats, RESUME, dispatch, close codes.

Frames are always plain JSON text (``compress`` in the query string is ignored,
``encoding`` must be ``json``). Each connection has one writer task fed by a
queue, so everything the server emits keeps its order, including closes.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import secrets
import time
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from .models import Intents
from .records import GatewayEvent

if TYPE_CHECKING:
    from .server import FakeDiscord

# opcodes
DISPATCH = 0
HEARTBEAT = 1
IDENTIFY = 2
PRESENCE_UPDATE = 3
VOICE_STATE_UPDATE = 4
RESUME = 6
RECONNECT = 7
REQUEST_GUILD_MEMBERS = 8
INVALID_SESSION = 9
HELLO = 10
HEARTBEAT_ACK = 11
REQUEST_SOUNDBOARD_SOUNDS = 31

# close codes
UNKNOWN_ERROR = 4000
UNKNOWN_OPCODE = 4001
DECODE_ERROR = 4002
NOT_AUTHENTICATED = 4003
AUTHENTICATION_FAILED = 4004
ALREADY_AUTHENTICATED = 4005
INVALID_SEQ = 4007
RATE_LIMITED = 4008
SESSION_TIMED_OUT = 4009
INVALID_SHARD = 4010
SHARDING_REQUIRED = 4011
INVALID_API_VERSION = 4012
INVALID_INTENTS = 4013
DISALLOWED_INTENTS = 4014

CLOSE_REASONS = {
    UNKNOWN_ERROR: "Unknown error.",
    UNKNOWN_OPCODE: "Unknown opcode.",
    DECODE_ERROR: "Error while decoding payload.",
    NOT_AUTHENTICATED: "Not authenticated.",
    AUTHENTICATION_FAILED: "Authentication failed.",
    ALREADY_AUTHENTICATED: "Already authenticated.",
    INVALID_SEQ: "Invalid seq.",
    RATE_LIMITED: "Rate limited.",
    SESSION_TIMED_OUT: "Session timed out.",
    INVALID_SHARD: "Invalid shard.",
    SHARDING_REQUIRED: "Sharding required.",
    INVALID_API_VERSION: "Invalid API version.",
    INVALID_INTENTS: "Invalid intent(s).",
    DISALLOWED_INTENTS: "Disallowed intent(s).",
}

GATEWAY_SEND_LIMIT = 120  # client payloads per 60 s per connection
MAX_GUILDS_PER_SHARD = 2500
RESUME_BUFFER = 2000

_conn_ids = itertools.count(1)


def shard_for_guild(guild_id: int, shard_count: int) -> int:
    """Discord's sharding formula."""
    return (guild_id >> 22) % shard_count


@dataclass
class Session:
    id: str
    token: str
    intents: int
    shard: tuple[int, int]
    identify: dict[str, Any]
    seq: int = 0
    buffer: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=RESUME_BUFFER))
    conn: Connection | None = None
    invalid: bool = False

    @property
    def shard_id(self) -> int:
        return self.shard[0]

    def handles_guild(self, guild_id: int | None) -> bool:
        if guild_id is None:
            return self.shard_id == 0  # DMs go to shard 0
        return shard_for_guild(guild_id, self.shard[1]) == self.shard_id


class Connection:
    def __init__(self, server: FakeDiscord, ws: web.WebSocketResponse, request: web.Request):
        self.id = next(_conn_ids)
        self.server = server
        self.ws = ws
        self.request = request
        self.queue: asyncio.Queue[tuple[Any, ...]] = asyncio.Queue()
        self.session: Session | None = None
        self.server_close_code: int | None = None
        self.aborted = False
        self.closing = False
        self.received: list[dict[str, Any]] = []
        self.sent: list[dict[str, Any]] = []
        self._send_times: deque[float] = deque()
        self.last_heartbeat: float | None = None
        self.heartbeats = 0
        self.writer_task: asyncio.Task[None] | None = None

    @property
    def open(self) -> bool:
        return not self.closing and not self.ws.closed

    def send(self, payload: dict[str, Any]) -> None:
        if self.closing:
            return
        self.sent.append(payload)
        self.queue.put_nowait(("send", json.dumps(payload, separators=(",", ":"))))

    def close(self, code: int, reason: str | None = None) -> None:
        if self.closing:
            return
        self.closing = True
        self.server_close_code = code
        self.queue.put_nowait(("close", code, reason or CLOSE_REASONS.get(code, "")))

    def abort(self) -> None:
        if self.closing:
            return
        self.closing = True
        self.aborted = True
        self.queue.put_nowait(("abort",))

    async def writer(self) -> None:
        while True:
            item = await self.queue.get()
            try:
                if item[0] == "send":
                    if not self.ws.closed:
                        await self.ws.send_str(item[1])
                elif item[0] == "close":
                    await self.ws.close(code=item[1], message=item[2].encode())
                    return
                elif item[0] == "abort":
                    transport = self.request.transport
                    if transport is not None:
                        transport.abort()
                    return
                else:  # "stop": the connection is gone
                    return
            except (ConnectionError, RuntimeError):
                return

    def rate_limited(self) -> bool:
        now = time.monotonic()
        self._send_times.append(now)
        while self._send_times and now - self._send_times[0] > 60:
            self._send_times.popleft()
        return len(self._send_times) > GATEWAY_SEND_LIMIT


class Gateway:
    """Gateway state: connections and sessions, owned by a FakeDiscord."""

    def __init__(self, server: FakeDiscord) -> None:
        self.server = server
        self.connections: set[Connection] = set()
        self.sessions: dict[str, Session] = {}

    # ------------------------------------------------------------- emission
    def emit(self, session: Session, t: str, d: Any) -> dict[str, Any]:
        session.seq += 1
        frame = {"op": DISPATCH, "t": t, "s": session.seq, "d": d}
        session.buffer.append(frame)
        if session.conn is not None:
            session.conn.send(frame)
        return frame

    def live_sessions(self) -> list[Session]:
        return [s for s in self.sessions.values() if not s.invalid]

    def broadcast(
        self,
        t: str,
        d: Any,
        *,
        guild_id: int | None,
        intents: int = 0,
        transform: Any = None,
    ) -> int:
        """Sends an event to every session that should get it; returns how many did."""
        n = 0
        for session in self.live_sessions():
            if not session.handles_guild(guild_id):
                continue
            if intents and not session.intents & intents:
                continue
            data = transform(session, d) if transform is not None else d
            self.emit(session, t, data)
            n += 1
        return n

    # ------------------------------------------------------------- handler
    async def handle(self, request: web.Request) -> web.StreamResponse:
        if self.server.stopping:
            return web.Response(status=503, text="fake Discord is shutting down")
        encoding = request.query.get("encoding", "json")
        if encoding != "json":
            return web.json_response(
                {"message": "The fake only speaks encoding=json", "code": 0}, status=400
            )
        ws = web.WebSocketResponse(max_msg_size=0, compress=False, autoping=True)
        await ws.prepare(request)
        conn = Connection(self.server, ws, request)
        self.connections.add(conn)
        conn.writer_task = asyncio.create_task(conn.writer())
        self.server._log_gateway(GatewayEvent("connect", conn.id, detail=dict(request.query)))
        version = request.query.get("v")
        if version is not None and version not in ("9", "10"):
            self._fail(conn, INVALID_API_VERSION)
        else:
            conn.send(
                {
                    "op": HELLO,
                    "d": {
                        "heartbeat_interval": self.server.heartbeat_interval_ms,
                        "_trace": ['["fake-discord-gateway",{"micros":0}]'],
                    },
                    "s": None,
                    "t": None,
                }
            )
        try:
            async for msg in ws:
                if msg.type is WSMsgType.TEXT:
                    self._on_frame(conn, msg.data)
                elif msg.type is WSMsgType.BINARY:
                    self._fail(conn, DECODE_ERROR)
                else:
                    break
        except ConnectionError:
            pass
        finally:
            self._on_disconnect(conn)
            if not conn.closing:
                conn.closing = True
                conn.queue.put_nowait(("stop",))
            task = conn.writer_task
            if task is not None and not task.done():
                # A server-side close waits for the client's close frame; bound it.
                done, _ = await asyncio.wait({task}, timeout=5.0)
                if not done:
                    task.cancel()
        return ws

    def _fail(self, conn: Connection, code: int, reason: str | None = None) -> None:
        self.server._log_gateway(
            GatewayEvent(
                "error",
                conn.id,
                session_id=conn.session.id if conn.session else None,
                code=code,
                detail=reason or CLOSE_REASONS.get(code),
            )
        )
        conn.close(code, reason)

    def _on_disconnect(self, conn: Connection) -> None:
        self.connections.discard(conn)
        if conn.server_close_code is not None:
            code, by = conn.server_close_code, "server"
        elif conn.aborted:
            code, by = None, "server-abort"
        else:
            code, by = conn.ws.close_code, "client"
        session = conn.session
        if session is not None and session.conn is conn:
            session.conn = None
            # A clean close by the client (1000/1001) ends the session, like Discord.
            if by == "client" and code in (1000, 1001):
                session.invalid = True
        self.server._log_gateway(
            GatewayEvent(
                "close",
                conn.id,
                session_id=session.id if session else None,
                shard=session.shard if session else None,
                code=code,
                detail=by,
            )
        )
        self.server._notify()

    def _on_frame(self, conn: Connection, raw: str) -> None:
        if conn.closing:
            return
        try:
            payload = json.loads(raw)
            op = payload["op"]
        except (ValueError, KeyError, TypeError):
            self._fail(conn, DECODE_ERROR)
            return
        conn.received.append(payload)
        if conn.rate_limited():
            self._fail(conn, RATE_LIMITED)
            return
        d = payload.get("d")
        if op == HEARTBEAT:
            conn.last_heartbeat = time.monotonic()
            conn.heartbeats += 1
            if self.server.ack_heartbeats:
                conn.send({"op": HEARTBEAT_ACK, "d": None, "s": None, "t": None})
            return
        if op == IDENTIFY:
            self._identify(conn, d)
            return
        if op == RESUME:
            self._resume(conn, d)
            return
        if op not in (PRESENCE_UPDATE, VOICE_STATE_UPDATE, REQUEST_GUILD_MEMBERS):
            if op in (REQUEST_SOUNDBOARD_SOUNDS,):
                return
            self._fail(conn, UNKNOWN_OPCODE)
            return
        if conn.session is None:
            self._fail(conn, NOT_AUTHENTICATED)
            return
        if op == PRESENCE_UPDATE:
            self.server.presence_updates.append(d)
        elif op == VOICE_STATE_UPDATE:
            self.server.voice_state_updates.append(d)
        elif op == REQUEST_GUILD_MEMBERS:
            self._request_members(conn, d or {})

    # ------------------------------------------------------------ identify
    def _identify(self, conn: Connection, d: Any) -> None:
        server = self.server
        if conn.session is not None:
            self._fail(conn, ALREADY_AUTHENTICATED)
            return
        if not isinstance(d, dict) or not isinstance(d.get("token"), str):
            self._fail(conn, DECODE_ERROR)
            return
        if d["token"] not in server.tokens:
            self._fail(conn, AUTHENTICATION_FAILED)
            return
        intents = d.get("intents")
        if not isinstance(intents, int) or isinstance(intents, bool) or intents < 0:
            self._fail(conn, INVALID_INTENTS)
            return
        if intents & ~Intents.VALID:
            self._fail(conn, INVALID_INTENTS)
            return
        for bit, name in Intents.PRIVILEGED.items():
            if intents & bit and not server.privileged_intents.get(name, False):
                self._fail(conn, DISALLOWED_INTENTS)
                return
        shard = d.get("shard", [0, 1])
        if (
            not isinstance(shard, list)
            or len(shard) != 2
            or not all(isinstance(x, int) for x in shard)
            or shard[1] < 1
            or not 0 <= shard[0] < shard[1]
        ):
            self._fail(conn, INVALID_SHARD)
            return
        shard_t = (shard[0], shard[1])
        guild_ids = [
            gid for gid in server.world.guilds if shard_for_guild(gid, shard_t[1]) == shard_t[0]
        ]
        if len(guild_ids) > MAX_GUILDS_PER_SHARD:
            self._fail(conn, SHARDING_REQUIRED)
            return
        server.session_start_remaining = max(0, server.session_start_remaining - 1)
        # A new IDENTIFY for this shard supersedes detached older sessions.
        for old in self.sessions.values():
            if old.shard == shard_t and old.conn is None:
                old.invalid = True
        session = Session(
            id=secrets.token_hex(16), token=d["token"], intents=intents, shard=shard_t, identify=d
        )
        self.sessions[session.id] = session
        session.conn = conn
        conn.session = session
        server._log_gateway(
            GatewayEvent("identify", conn.id, session_id=session.id, shard=shard_t, detail=d)
        )
        ready = {
            "v": 10,
            "user": server.world.user_json(server.bot_user.id)
            | {"verified": True, "mfa_enabled": False, "email": None, "flags": 0},
            "user_settings": {},
            "guilds": [{"id": str(gid), "unavailable": True} for gid in guild_ids],
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": ["fake"],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": server.resume_gateway_url,
            "shard": list(shard_t),
            "application": {"id": str(server.application_id), "flags": server.application_flags},
            "auth": {},
            "_trace": ['["fake-discord-gateway",{"micros":0}]'],
        }
        self.emit(session, "READY", ready)
        if intents & Intents.GUILDS:
            for gid in guild_ids:
                self.emit(
                    session,
                    "GUILD_CREATE",
                    server.world.guild_json(
                        gid, gateway=True, with_all_members=bool(intents & Intents.GUILD_PRESENCES)
                    ),
                )
        server._log_gateway(GatewayEvent("ready", conn.id, session_id=session.id, shard=shard_t))
        server._notify()

    # -------------------------------------------------------------- resume
    def _resume(self, conn: Connection, d: Any) -> None:
        server = self.server
        if conn.session is not None:
            self._fail(conn, ALREADY_AUTHENTICATED)
            return
        if not isinstance(d, dict) or not isinstance(d.get("token"), str):
            self._fail(conn, DECODE_ERROR)
            return
        if d["token"] not in server.tokens:
            self._fail(conn, AUTHENTICATION_FAILED)
            return
        session = self.sessions.get(str(d.get("session_id")))
        seq = d.get("seq")
        if session is None or session.invalid or session.token != d["token"]:
            server._log_gateway(
                GatewayEvent("invalid_session", conn.id, session_id=d.get("session_id"))
            )
            conn.send({"op": INVALID_SESSION, "d": False, "s": None, "t": None})
            return
        if seq is None:
            seq = 0
        if not isinstance(seq, int) or seq > session.seq:
            self._fail(conn, INVALID_SEQ)
            return
        oldest = session.buffer[0]["s"] if session.buffer else session.seq + 1
        if seq + 1 < oldest:
            session.invalid = True
            conn.send({"op": INVALID_SESSION, "d": False, "s": None, "t": None})
            return
        previous = session.conn
        session.conn = None
        if previous is not None and previous is not conn:
            previous.close(UNKNOWN_ERROR, "Session resumed elsewhere")
        session.conn = conn
        conn.session = session
        replayed = [f for f in session.buffer if f["s"] > seq]
        for frame in replayed:
            conn.send(frame)
        server._log_gateway(
            GatewayEvent(
                "resume",
                conn.id,
                session_id=session.id,
                shard=session.shard,
                detail={"seq": seq, "replayed": len(replayed)},
            )
        )
        self.emit(session, "RESUMED", {"_trace": ['["fake-discord-gateway",{"micros":0}]']})
        server._notify()

    # ------------------------------------------------------ member chunks
    def _request_members(self, conn: Connection, d: dict[str, Any]) -> None:
        server = self.server
        session = conn.session
        assert session is not None
        try:
            guild_id = int(d["guild_id"])
        except (KeyError, TypeError, ValueError):
            self._fail(conn, DECODE_ERROR)
            return
        guild = server.world.guilds.get(guild_id)
        if guild is None or not session.handles_guild(guild_id):
            return
        query = d.get("query")
        user_ids = d.get("user_ids")
        limit = d.get("limit") or 0
        if query == "" and limit == 0 and not session.intents & Intents.GUILD_MEMBERS:
            self._fail(conn, DISALLOWED_INTENTS)
            return
        members = []
        for uid in guild.members:
            user = server.world.users[uid]
            if user_ids is not None:
                ids = user_ids if isinstance(user_ids, list) else [user_ids]
                if str(uid) not in {str(i) for i in ids}:
                    continue
            elif query and not user.username.lower().startswith(str(query).lower()):
                continue
            members.append(server.world.member_json(guild_id, uid))
            if limit and len(members) >= limit:
                break
        chunk: dict[str, Any] = {
            "guild_id": str(guild_id),
            "members": members,
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
        }
        if d.get("nonce") is not None:
            chunk["nonce"] = d["nonce"]
        self.emit(session, "GUILD_MEMBERS_CHUNK", chunk)
