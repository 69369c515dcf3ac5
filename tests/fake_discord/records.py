"""What the fake records so tests can assert on it."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any


@dataclass
class RecordedRequest:
    """One REST request and the answer the fake gave."""

    method: str
    path: str  # e.g. "/channels/123/messages" (without the /api/v10 prefix)
    route: str | None  # e.g. "/channels/{channel_id}/messages"; None if no route matched
    query: dict[str, str]
    body: Any  # parsed JSON (or payload_json of a multipart request)
    files: list[dict[str, Any]]
    status: int = 0
    response: Any = None
    injected: bool = False  # a 429/5xx the test asked for
    # When the fake received it, on the server clock (FakeDiscord.now()): the order and
    # spacing of requests as Discord would see them (a retry after a 429, say).
    received_at: float = 0.0

    @property
    def key(self) -> str:
        return f"{self.method} {self.route or self.path}"

    @property
    def error_code(self) -> int | None:
        if isinstance(self.response, dict):
            return self.response.get("code")
        return None

    def __repr__(self) -> str:
        extra = f" -> {self.response!r}" if self.status >= 400 else ""
        return f"<{self.method} {self.path} {self.status}{extra}>"


@dataclass
class SentMessage:
    """A message the bot created (channel message, interaction response, followup)."""

    message: dict[str, Any]  # the live message object (edits are applied to it)
    payload: dict[str, Any]  # the request body as the bot sent it
    source: str  # "channel", "interaction", "followup"
    channel_id: int
    interaction_id: int | None = None
    files: list[dict[str, Any]] = field(default_factory=list)
    # When the fake received it (time.monotonic()), for latency measurements.
    created_at: float = field(default_factory=time.monotonic)

    @property
    def id(self) -> int:
        return int(self.message["id"])

    @property
    def content(self) -> str:
        return self.message.get("content", "")

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return self.message.get("embeds", [])

    @property
    def components(self) -> list[dict[str, Any]]:
        return self.message.get("components", [])

    @property
    def flags(self) -> int:
        return int(self.message.get("flags", 0))

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & (1 << 6))

    @property
    def allowed_mentions(self) -> dict[str, Any] | None:
        """``allowed_mentions`` exactly as sent (None when the bot sent none)."""
        return self.payload.get("allowed_mentions")

    @property
    def deleted(self) -> bool:
        return bool(self.message.get("_deleted"))


@dataclass
class InteractionRecord:
    """An interaction the fake dispatched and everything the bot did with it."""

    id: int
    token: str
    type: int  # 2 command, 3 component, 4 autocomplete, 5 modal submit
    payload: dict[str, Any]
    dispatched_at: float  # server clock (see FakeDiscord.now())
    channel_id: int
    guild_id: int | None
    user_id: int
    response: dict[str, Any] | None = None  # the accepted initial callback body
    callback_attempts: list[tuple[dict[str, Any], int]] = field(default_factory=list)
    original: SentMessage | None = None  # message created by callback 4/5, or the clicked one
    followups: list[SentMessage] = field(default_factory=list)
    edits: list[dict[str, Any]] = field(default_factory=list)  # PATCH bodies (any message)
    original_deleted: bool = False

    @property
    def response_type(self) -> int | None:
        return None if self.response is None else self.response.get("type")

    @property
    def response_data(self) -> dict[str, Any]:
        if self.response is None:
            return {}
        return self.response.get("data") or {}

    @property
    def deferred(self) -> bool:
        return self.response_type in (5, 6)

    @property
    def reply(self) -> dict[str, Any]:
        """The message the user sees as the answer, as it stands now ({} before one).

        A type-4 response's message; after a deferral (5) the "thinking" message, which
        the first followup or an edit replaced; for a component's update (6, 7) the
        clicked message, edits applied.
        """
        if self.response is None or self.original is None:
            return {}
        return self.original.message

    @property
    def ephemeral(self) -> bool:
        return bool(int(self.response_data.get("flags") or 0) & (1 << 6))

    @property
    def choices(self) -> list[dict[str, Any]] | None:
        """Autocomplete result choices (callback type 8)."""
        if self.response_type != 8:
            return None
        return self.response_data.get("choices")


@dataclass
class Fault:
    """A scripted failure for the next ``remaining`` requests on a route."""

    method: str
    path: str  # route template or concrete path
    remaining: int
    status: int
    retry_after: float = 0.0
    is_global: bool = False
    scope: str = "user"

    def matches(self, method: str, route: str | None, path: str) -> bool:
        if self.remaining <= 0 or self.method != method:
            return False
        return self.path == path or (route is not None and self.path == route)


@dataclass
class GatewayEvent:
    """Lifecycle of gateway connections: connect, identify, resume, close, ..."""

    kind: str
    connection_id: int
    session_id: str | None = None
    shard: tuple[int, int] | None = None
    code: int | None = None
    detail: Any = None
