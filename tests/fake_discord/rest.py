"""The fake REST API under ``/api/v10``.

Every request is recorded (``FakeDiscord.requests``). Handlers raise
:class:`APIError` for Discord-style error answers. Interaction callbacks and
``/webhooks/{id}/{token}`` routes need no Authorization header (like Discord);
everything else needs ``Authorization: Bot <token>``.
"""

from __future__ import annotations

import copy
import json
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

from . import errors as E
from .errors import APIError, FormErrors
from .messages import (
    INTERACTION_FLAGS,
    SENDABLE_FLAGS,
    build_attachments,
    build_message,
    compute_mentions,
    dispatch_message_delete,
    dispatch_message_event,
    normalize_embeds,
    public,
    store_message,
)
from .models import Channel, ChannelType, Permissions, iso_now
from .records import InteractionRecord, RecordedRequest, SentMessage
from .rules import (
    CALLBACKS_FOR_INTERACTION,
    FLAG_EPHEMERAL,
    FLAG_LOADING,
    FLAG_SUPPRESS_EMBEDS,
    check_autocomplete_result,
    check_command,
    check_command_list,
    check_message,
    check_modal,
    is_empty_message,
)

if TYPE_CHECKING:
    from .server import FakeDiscord

Result = tuple[int, Any]
Handler = Callable[..., Awaitable[Result]]


@dataclass
class Ctx:
    server: FakeDiscord
    request: web.Request
    method: str
    path: str
    route: str
    query: dict[str, str]
    body: Any
    files: list[dict[str, Any]] = field(default_factory=list)

    def json_body(self) -> dict[str, Any]:
        if not isinstance(self.body, dict):
            raise E.invalid_form_body(
                {"_errors": [{"code": "DICT_TYPE_CONVERT", "message": "Only dictionaries"}]}
            )
        return self.body

    def flag(self, name: str) -> bool:
        return self.query.get(name, "").lower() in ("1", "true")


@dataclass
class RouteDef:
    method: str
    template: str
    regex: re.Pattern[str]
    handler: Handler
    auth: bool


def _compile(template: str) -> re.Pattern[str]:
    out = "^"
    for part in re.split(r"(\{\w+\})", template):
        if part.startswith("{") and part.endswith("}"):
            out += f"(?P<{part[1:-1]}>[^/]+)"
        else:
            out += re.escape(part)
    return re.compile(out + "$")


def ok(data: Any, status: int = 200) -> Result:
    return status, data


NO_CONTENT: Result = (204, None)


class Rest:
    def __init__(self, server: FakeDiscord) -> None:
        self.server = server
        self.routes: list[RouteDef] = []
        r = self._add
        r("GET", "/users/@me", self.get_me)
        r("POST", "/users/@me/channels", self.create_dm)
        r("GET", "/users/@me/guilds", self.get_my_guilds)
        r("GET", "/users/{user_id}", self.get_user)
        r("GET", "/gateway", self.get_gateway)
        r("GET", "/gateway/bot", self.get_gateway_bot)
        r("GET", "/oauth2/applications/@me", self.get_application)
        r("GET", "/applications/@me", self.get_application)
        for scope in ("", "/guilds/{guild_id}"):
            base = "/applications/{application_id}" + scope + "/commands"
            r("GET", base, self.list_commands)
            r("PUT", base, self.bulk_overwrite_commands)
            r("POST", base, self.create_command)
            r("GET", base + "/{command_id}", self.get_command)
            r("PATCH", base + "/{command_id}", self.edit_command)
            r("DELETE", base + "/{command_id}", self.delete_command)
        r(
            "POST",
            "/interactions/{interaction_id}/{interaction_token}/callback",
            self.interaction_callback,
            auth=False,
        )
        wh = "/webhooks/{webhook_id}/{webhook_token}"
        r("POST", wh, self.execute_webhook, auth=False)
        r("GET", wh + "/messages/{message_id}", self.get_webhook_message, auth=False)
        r("PATCH", wh + "/messages/{message_id}", self.edit_webhook_message, auth=False)
        r("DELETE", wh + "/messages/{message_id}", self.delete_webhook_message, auth=False)
        r("GET", "/channels/{channel_id}", self.get_channel)
        r("GET", "/channels/{channel_id}/messages", self.list_messages)
        r("POST", "/channels/{channel_id}/messages", self.create_channel_message)
        r("GET", "/channels/{channel_id}/messages/{message_id}", self.get_message)
        r("PATCH", "/channels/{channel_id}/messages/{message_id}", self.edit_message)
        r("DELETE", "/channels/{channel_id}/messages/{message_id}", self.delete_message)
        r("POST", "/channels/{channel_id}/typing", self.trigger_typing)
        react = "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me"
        r("PUT", react, self.add_reaction)
        r("DELETE", react, self.remove_reaction)
        r("GET", "/guilds/{guild_id}", self.get_guild)
        r("GET", "/guilds/{guild_id}/channels", self.get_guild_channels)
        r("GET", "/guilds/{guild_id}/roles", self.get_guild_roles)
        r("GET", "/guilds/{guild_id}/members", self.list_members)
        r("GET", "/guilds/{guild_id}/members/{user_id}", self.get_member)

    def _add(self, method: str, template: str, handler: Handler, *, auth: bool = True) -> None:
        self.routes.append(RouteDef(method, template, _compile(template), handler, auth))

    # ================================================================ plumbing
    async def handle(self, request: web.Request) -> web.StreamResponse:
        server = self.server
        version = request.match_info["version"]
        path = "/" + request.match_info["tail"]
        method = request.method
        rec = RecordedRequest(method, path, None, dict(request.query), None, [])
        rec.received_at = server.now()
        server._record_request(rec)
        headers: dict[str, str] = {}
        try:
            if version not in ("9", "10"):
                raise E.not_found()
            match = None
            path_known = False
            for rd in self.routes:
                m = rd.regex.match(path)
                if m is None:
                    continue
                path_known = True
                if rd.method == method:
                    match = (rd, m.groupdict())
                    break
            if match is None:
                raise E.method_not_allowed() if path_known else E.not_found()
            rd, params = match
            rec.route = rd.template
            body, files = await self._read_body(request)
            rec.body, rec.files = body, files
            if rd.auth:
                self._check_auth(request)
            fault = server._take_fault(method, rd.template, path)
            if fault is not None:
                rec.injected = True
                status, data, headers = self._fault_response(fault, rd.template)
            else:
                ctx = Ctx(
                    server, request, method, path, rd.template, dict(request.query), body, files
                )
                status, data = await rd.handler(ctx, **params)
                headers = self._ratelimit_headers(rd.template)
        except APIError as exc:
            status, data = exc.status, exc.body()
            headers = self._ratelimit_headers(rec.route or path)
        rec.status, rec.response = status, data
        server._notify()
        if data is None:
            return web.Response(status=status, headers=headers)
        # Exactly "application/json" (no charset): discord.py compares the header verbatim.
        headers["Content-Type"] = "application/json"
        return web.Response(status=status, body=json.dumps(data).encode(), headers=headers)

    async def _read_body(self, request: web.Request) -> tuple[Any, list[dict[str, Any]]]:
        if not request.body_exists:
            return None, []
        ctype = request.content_type
        files: list[dict[str, Any]] = []
        if ctype.startswith("multipart/"):
            form = await request.post()
            body: Any = None
            total = 0
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    data = value.file.read()
                    total += len(data)
                    files.append(
                        {
                            "field": key,
                            "filename": value.filename,
                            "content_type": value.content_type,
                            "size": len(data),
                            "data": data,
                        }
                    )
                elif key == "payload_json":
                    try:
                        body = json.loads(value)
                    except ValueError as exc:
                        raise APIError(
                            400, E.INVALID_JSON, "The request body contains invalid JSON."
                        ) from exc
            if total > self.server.upload_limit:
                raise APIError(413, E.ENTITY_TOO_LARGE, "Request entity too large")
            return body, files
        raw = await request.read()
        if not raw:
            return None, []
        try:
            return json.loads(raw), []
        except ValueError as exc:
            raise APIError(400, E.INVALID_JSON, "The request body contains invalid JSON.") from exc

    def _check_auth(self, request: web.Request) -> None:
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bot ") or header[4:] not in self.server.tokens:
            raise E.unauthorized()

    @staticmethod
    def _bucket(route: str) -> str:
        return format(abs(hash(route)) & 0xFFFFFFFFFFFF, "x")

    def _ratelimit_headers(self, route: str) -> dict[str, str]:
        now = time.time()
        return {
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": "4",
            "X-RateLimit-Reset": f"{now + 1:.3f}",
            "X-RateLimit-Reset-After": "1.000",
            "X-RateLimit-Bucket": self._bucket(route),
        }

    def _fault_response(self, fault: Any, route: str) -> tuple[int, Any, dict[str, str]]:
        if fault.status == 429:
            now = time.time()
            headers = {
                "X-RateLimit-Limit": "5",
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset": f"{now + fault.retry_after:.3f}",
                "X-RateLimit-Reset-After": f"{fault.retry_after:.3f}",
                "X-RateLimit-Bucket": self._bucket(route),
                "X-RateLimit-Scope": "global" if fault.is_global else fault.scope,
                "Retry-After": str(max(1, int(fault.retry_after + 0.999))),
                # discord.py treats a 429 without Via as a Cloudflare ban.
                "Via": "1.1 google",
            }
            if fault.is_global:
                headers["X-RateLimit-Global"] = "true"
            body = {
                "message": "You are being rate limited.",
                "retry_after": fault.retry_after,
                "global": fault.is_global,
            }
            if fault.is_global:
                body["code"] = 0
            return 429, body, headers
        messages = {
            500: "500: Internal Server Error",
            502: "502: Bad Gateway",
            503: "503: Service Unavailable",
            504: "504: Gateway Timeout",
        }
        return (
            fault.status,
            {"message": messages.get(fault.status, f"{fault.status}: Error"), "code": 0},
            {},
        )

    # ================================================================ helpers
    def _channel(self, channel_id: str) -> Channel:
        try:
            channel = self.server.world.channels.get(int(channel_id))
        except ValueError:
            channel = None
        if channel is None:
            raise E.unknown("Channel")
        return channel

    def _require(self, channel: Channel, needed: int) -> None:
        world = self.server.world
        if channel.guild_id is None:
            return
        perms = world.channel_permissions(channel, self.server.bot_user.id)
        if not perms & Permissions.VIEW_CHANNEL:
            raise E.missing_access()
        if needed & ~perms:
            raise E.missing_permissions()

    def _send_permission(self, channel: Channel) -> int:
        if channel.type in ChannelType.THREADS:
            return Permissions.VIEW_CHANNEL | Permissions.SEND_MESSAGES_IN_THREADS
        return Permissions.VIEW_CHANNEL | Permissions.SEND_MESSAGES

    def _app_id(self, application_id: str) -> None:
        if application_id != str(self.server.application_id):
            raise E.missing_access()

    def _message_in(self, channel: Channel, message_id: str) -> dict[str, Any]:
        try:
            mid = int(message_id)
        except ValueError:
            raise E.unknown("Message") from None
        msg = self.server.world.messages.get(mid)
        if msg is None or msg.get("_deleted") or int(msg["channel_id"]) != channel.id:
            raise E.unknown("Message")
        return msg

    def _validate_message(
        self,
        payload: Any,
        files: list[dict[str, Any]],
        *,
        path: tuple[Any, ...] = (),
        ephemeral_ok: bool = False,
    ) -> tuple[dict[str, Any], int]:
        """Checks a new message payload; returns (payload, flags to store)."""
        if payload is None:
            payload = {}
        errors = FormErrors()
        check_message(payload, errors, path, n_files=len(files))
        errors.raise_if_any()
        if is_empty_message(payload, n_files=len(files)):
            raise E.empty_message()
        flags = payload.get("flags") or 0
        if not isinstance(flags, int):
            flags = 0
        flags &= INTERACTION_FLAGS if ephemeral_ok else SENDABLE_FLAGS
        return payload, flags

    # ===================================================================== users
    async def get_me(self, ctx: Ctx) -> Result:
        server = self.server
        return ok(
            server.world.user_json(server.bot_user.id)
            | {
                "verified": True,
                "mfa_enabled": False,
                "locale": "en-US",
                "email": None,
                "flags": 0,
                "premium_type": 0,
                "bio": "",
            }
        )

    async def get_user(self, ctx: Ctx, user_id: str) -> Result:
        try:
            user = self.server.world.users.get(int(user_id))
        except ValueError:
            user = None
        if user is None:
            raise E.unknown("User")
        return ok(user.to_dict())

    async def create_dm(self, ctx: Ctx) -> Result:
        body = ctx.json_body()
        try:
            uid = int(body.get("recipient_id"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            errors = FormErrors()
            errors.add(("recipient_id",), "BASE_TYPE_REQUIRED", "This field is required")
            errors.raise_if_any()
            raise
        if uid not in self.server.world.users or uid == self.server.bot_user.id:
            raise APIError(400, 50033, "Invalid Recipient(s)")
        channel = self.server._dm_channel(uid)
        return ok(self.server.world.channel_json(channel.id))

    async def get_my_guilds(self, ctx: Ctx) -> Result:
        world = self.server.world
        bot = self.server.bot_user.id
        return ok(
            [
                {
                    "id": str(g.id),
                    "name": g.name,
                    "icon": None,
                    "banner": None,
                    "owner": g.owner_id == bot,
                    "permissions": str(world.base_permissions(g, bot)),
                    "features": list(g.features),
                }
                for g in world.guilds.values()
                if bot in g.members
            ]
        )

    # =================================================================== gateway
    async def get_gateway(self, ctx: Ctx) -> Result:
        return ok({"url": self.server.gateway_url})

    async def get_gateway_bot(self, ctx: Ctx) -> Result:
        server = self.server
        return ok(
            {
                "url": server.gateway_url,
                "shards": server.recommended_shards,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": server.session_start_remaining,
                    "reset_after": 86_400_000,
                    "max_concurrency": 1,
                },
            }
        )

    async def get_application(self, ctx: Ctx) -> Result:
        server = self.server
        world = server.world
        return ok(
            {
                "id": str(server.application_id),
                "name": server.bot_user.username,
                "icon": None,
                "description": "",
                "summary": "",
                "type": None,
                "hook": True,
                "rpc_origins": [],
                "bot_public": True,
                "bot_require_code_grant": False,
                "terms_of_service_url": None,
                "privacy_policy_url": None,
                "owner": world.user_json(server.owner_user.id),
                "team": None,
                "verify_key": "0" * 64,
                "guild_id": None,
                "flags": server.application_flags,
                "tags": [],
                "install_params": None,
                "custom_install_url": None,
                "interactions_endpoint_url": None,
                "role_connections_verification_url": None,
                "redirect_uris": [],
                "approximate_guild_count": len(world.guilds),
                "approximate_user_install_count": 0,
                "bot": world.user_json(server.bot_user.id),
                "integration_types_config": {"0": {}},
            }
        )

    # ================================================================== commands
    def _command_store(self, application_id: str, guild_id: str | None) -> dict[int, dict]:
        self._app_id(application_id)
        server = self.server
        if guild_id is None:
            return server._global_commands
        try:
            gid = int(guild_id)
        except ValueError:
            raise E.missing_access() from None
        guild = server.world.guilds.get(gid)
        if guild is None or server.bot_user.id not in guild.members:
            raise E.missing_access()
        return server._guild_commands.setdefault(gid, {})

    def _stored_command(
        self, cmd: dict[str, Any], guild_id: str | None, existing: dict[str, Any] | None
    ) -> dict[str, Any]:
        server = self.server
        perms = cmd.get("default_member_permissions")
        stored: dict[str, Any] = {
            "id": existing["id"] if existing else str(server.snowflakes.next()),
            "application_id": str(server.application_id),
            "version": str(server.snowflakes.next()),
            "type": cmd.get("type", 1),
            "name": cmd["name"],
            "name_localizations": cmd.get("name_localizations"),
            "description": cmd.get("description", ""),
            "description_localizations": cmd.get("description_localizations"),
            "default_member_permissions": None if perms is None else str(perms),
            "nsfw": bool(cmd.get("nsfw", False)),
            "options": copy.deepcopy(cmd.get("options") or []),
        }
        if guild_id is not None:
            stored["guild_id"] = str(guild_id)
        else:
            stored["dm_permission"] = cmd.get("dm_permission", True)
            stored["contexts"] = cmd.get("contexts")
            stored["integration_types"] = cmd.get("integration_types") or [0]
        return stored

    async def list_commands(
        self, ctx: Ctx, application_id: str, guild_id: str | None = None
    ) -> Result:
        store = self._command_store(application_id, guild_id)
        return ok(list(store.values()))

    async def bulk_overwrite_commands(
        self, ctx: Ctx, application_id: str, guild_id: str | None = None
    ) -> Result:
        store = self._command_store(application_id, guild_id)
        errors = FormErrors()
        check_command_list(ctx.body, errors)
        errors.raise_if_any()
        by_key = {(c["type"], c["name"]): c for c in store.values()}
        new: dict[int, dict[str, Any]] = {}
        for cmd in ctx.body:
            existing = by_key.get((cmd.get("type", 1), cmd["name"]))
            stored = self._stored_command(cmd, guild_id, existing)
            new[int(stored["id"])] = stored
        store.clear()
        store.update(new)
        return ok(list(store.values()))

    async def create_command(
        self, ctx: Ctx, application_id: str, guild_id: str | None = None
    ) -> Result:
        store = self._command_store(application_id, guild_id)
        body = ctx.json_body()
        errors = FormErrors()
        check_command(body, errors, ())
        errors.raise_if_any()
        ctype = body.get("type", 1)
        existing = next(
            (c for c in store.values() if c["type"] == ctype and c["name"] == body["name"]), None
        )
        if existing is None:
            count = sum(1 for c in store.values() if c["type"] == ctype)
            if count >= (100 if ctype == 1 else 15):
                raise APIError(400, 30032, "Maximum number of application commands reached (100)")
        stored = self._stored_command(body, guild_id, existing)
        store[int(stored["id"])] = stored
        return ok(stored, 200 if existing else 201)

    def _find_command(self, store: dict[int, dict], command_id: str) -> dict[str, Any]:
        try:
            cmd = store.get(int(command_id))
        except ValueError:
            cmd = None
        if cmd is None:
            raise E.unknown("application command")
        return cmd

    async def get_command(
        self, ctx: Ctx, application_id: str, command_id: str, guild_id: str | None = None
    ) -> Result:
        store = self._command_store(application_id, guild_id)
        return ok(self._find_command(store, command_id))

    async def edit_command(
        self, ctx: Ctx, application_id: str, command_id: str, guild_id: str | None = None
    ) -> Result:
        store = self._command_store(application_id, guild_id)
        current = self._find_command(store, command_id)
        merged = {k: v for k, v in current.items() if k not in ("id", "version")}
        merged.update(ctx.json_body())
        errors = FormErrors()
        check_command(merged, errors, ())
        errors.raise_if_any()
        stored = self._stored_command(merged, guild_id, current)
        store[int(stored["id"])] = stored
        return ok(stored)

    async def delete_command(
        self, ctx: Ctx, application_id: str, command_id: str, guild_id: str | None = None
    ) -> Result:
        store = self._command_store(application_id, guild_id)
        cmd = self._find_command(store, command_id)
        del store[int(cmd["id"])]
        return NO_CONTENT

    # ============================================================== interactions
    def _interaction(self, interaction_id: str, token: str) -> InteractionRecord:
        try:
            rec = self.server.interactions.get(int(interaction_id))
        except ValueError:
            rec = None
        if rec is None or rec.token != token:
            raise E.unknown("interaction")
        return rec

    async def interaction_callback(
        self, ctx: Ctx, interaction_id: str, interaction_token: str
    ) -> Result:
        server = self.server
        rec = self._interaction(interaction_id, interaction_token)
        body = ctx.body if isinstance(ctx.body, dict) else {}
        try:
            return self._interaction_callback(ctx, rec, body)
        except APIError as exc:
            rec.callback_attempts.append((body, exc.status))
            raise
        finally:
            server._notify()

    def _interaction_callback(
        self, ctx: Ctx, rec: InteractionRecord, body: dict[str, Any]
    ) -> Result:
        server = self.server
        if rec.response is not None:
            raise E.already_acknowledged()
        if server.now() - rec.dispatched_at > server.interaction_ack_timeout:
            raise E.unknown("interaction")
        ctype = body.get("type")
        errors = FormErrors()
        if ctype not in CALLBACKS_FOR_INTERACTION.get(rec.type, set()):
            errors.add(
                ("type",),
                "INTERACTION_RESPONSE_TYPE_INVALID",
                f"Interaction response type {ctype!r} is not valid for interaction type {rec.type}",
            )
            errors.raise_if_any()
        data = body.get("data")
        channel = server.world.channels[rec.channel_id]
        result: dict[str, Any] = {
            "interaction": {
                "id": str(rec.id),
                "type": rec.type,
                "response_message_loading": ctype == 5,
                "response_message_ephemeral": False,
            }
        }
        resource: dict[str, Any] = {"type": ctype}
        if ctype == 4:
            payload, flags = self._validate_message(
                data, ctx.files, path=("data",), ephemeral_ok=True
            )
            msg = self._interaction_message(rec, channel, payload, flags, ctx.files)
            resource["message"] = public(msg)
            result["interaction"]["response_message_id"] = msg["id"]
            result["interaction"]["response_message_ephemeral"] = bool(flags & FLAG_EPHEMERAL)
        elif ctype == 5:
            flags = int((data or {}).get("flags") or 0) & FLAG_EPHEMERAL
            msg = self._interaction_message(rec, channel, {}, flags | FLAG_LOADING, [])
            resource["message"] = public(msg)
            result["interaction"]["response_message_id"] = msg["id"]
            result["interaction"]["response_message_ephemeral"] = bool(flags & FLAG_EPHEMERAL)
        elif ctype in (6, 7):
            if rec.original is None:
                errors.add(
                    ("type",),
                    "INTERACTION_RESPONSE_TYPE_INVALID",
                    "This interaction has no message to update",
                )
                errors.raise_if_any()
            if ctype == 7:
                check_message(data or {}, errors, ("data",), n_files=len(ctx.files))
                errors.raise_if_any()
                assert rec.original is not None
                self._apply_edit(rec.original.message, data or {}, ctx.files, channel)
                rec.edits.append(data or {})
                resource["message"] = public(rec.original.message)
                if not rec.original.ephemeral:
                    dispatch_message_event(server, "MESSAGE_UPDATE", rec.original.message)
        elif ctype == 8:
            check_autocomplete_result(data, errors, ("data",))
            errors.raise_if_any()
        elif ctype == 9:
            check_modal(data, errors, ("data",))
            errors.raise_if_any()
        rec.response = body
        rec.callback_attempts.append((body, 200))
        if ctx.flag("with_response"):
            if ctype in (1, 6, 8):
                return ok(result)
            result["resource"] = resource
            return ok(result)
        return NO_CONTENT

    def _interaction_message(
        self,
        rec: InteractionRecord,
        channel: Channel,
        payload: dict[str, Any],
        flags: int,
        files: list[dict[str, Any]],
    ) -> dict[str, Any]:
        server = self.server
        msg_type = {2: 20, 3: 19, 5: 19}.get(rec.type, 0)
        if rec.type == 2 and rec.payload["data"].get("type", 1) != 1:
            msg_type = 23
        msg = build_message(
            server,
            channel,
            payload,
            author_id=server.bot_user.id,
            files=files,
            msg_type=msg_type,
            flags=flags,
            webhook=True,
            interaction=rec,
        )
        sent = SentMessage(msg, payload, "interaction", channel.id, rec.id, files)
        rec.original = sent
        server.bot_messages.append(sent)
        server.world.messages[int(msg["id"])] = msg
        if not flags & FLAG_EPHEMERAL:
            store_message(server, channel, msg)
            dispatch_message_event(server, "MESSAGE_CREATE", msg)
        return msg

    def _apply_edit(
        self,
        msg: dict[str, Any],
        payload: dict[str, Any],
        files: list[dict[str, Any]],
        channel: Channel,
    ) -> None:
        """Merges an edit into ``msg`` after checking the result is not empty."""
        merged = dict(msg)
        for key in ("content", "components"):
            if key in payload:
                merged[key] = (
                    payload[key] if payload[key] is not None else ("" if key == "content" else [])
                )
        if "embeds" in payload:
            merged["embeds"] = normalize_embeds(payload["embeds"])
        if "attachments" in payload or files:
            merged["attachments"] = build_attachments(
                self.server,
                channel.id,
                payload if "attachments" in payload else {"attachments": msg["attachments"]},
                files,
                existing=msg.get("attachments"),
            )
        if "flags" in payload and isinstance(payload["flags"], int):
            keep = int(msg.get("flags", 0)) & ~FLAG_SUPPRESS_EMBEDS
            merged["flags"] = keep | (payload["flags"] & FLAG_SUPPRESS_EMBEDS)
        if is_empty_message(merged):
            raise E.empty_message()
        if "content" in payload or "allowed_mentions" in payload:
            users, roles, everyone = compute_mentions(
                self.server,
                channel,
                merged.get("content") or "",
                payload.get("allowed_mentions"),
                int(msg["author"]["id"]),
            )
            merged["mentions"] = [self.server.world.user_json(u) for u in users]
            merged["mention_roles"] = [str(r) for r in roles]
            merged["mention_everyone"] = everyone
        merged["flags"] = int(merged.get("flags", 0)) & ~FLAG_LOADING
        merged["edited_timestamp"] = iso_now()
        msg.clear()
        msg.update(merged)

    # ------------------------------------------------------------------ webhooks
    def _webhook_interaction(self, webhook_id: str, token: str) -> InteractionRecord:
        server = self.server
        if webhook_id != str(server.application_id):
            raise E.unknown("Webhook")
        rec = server._interactions_by_token.get(token)
        if rec is None:
            raise E.invalid_webhook_token()
        if server.now() - rec.dispatched_at > server.interaction_token_ttl:
            raise E.invalid_webhook_token()
        if rec.response is None:
            # Followups and edits need an initial response first.
            raise E.unknown("Webhook")
        return rec

    def _webhook_target(self, rec: InteractionRecord, message_id: str) -> SentMessage:
        if message_id == "@original":
            if rec.original is None or rec.original_deleted or rec.response_type == 8:
                raise E.unknown("Message")
            return rec.original
        for sent in rec.followups:
            if str(sent.id) == message_id and not sent.deleted:
                return sent
        if rec.original is not None and str(rec.original.id) == message_id:
            return rec.original
        raise E.unknown("Message")

    async def execute_webhook(self, ctx: Ctx, webhook_id: str, webhook_token: str) -> Result:
        server = self.server
        rec = self._webhook_interaction(webhook_id, webhook_token)
        payload, flags = self._validate_message(ctx.body, ctx.files, ephemeral_ok=True)
        channel = server.world.channels[rec.channel_id]
        original = rec.original
        if (
            original is not None
            and rec.response_type == 5
            and int(original.message.get("flags", 0)) & FLAG_LOADING
        ):
            # After a deferred response the first followup replaces the "thinking" message.
            self._apply_edit(original.message, payload, ctx.files, channel)
            sent = SentMessage(original.message, payload, "followup", channel.id, rec.id)
            rec.followups.append(sent)
            if not original.ephemeral:
                dispatch_message_event(server, "MESSAGE_UPDATE", original.message)
        else:
            msg = build_message(
                server,
                channel,
                payload,
                author_id=server.bot_user.id,
                files=ctx.files,
                msg_type=19 if rec.type != 2 else 20,
                flags=flags,
                webhook=True,
                interaction=rec,
            )
            sent = SentMessage(msg, payload, "followup", channel.id, rec.id, ctx.files)
            rec.followups.append(sent)
            server.world.messages[int(msg["id"])] = msg
            if not flags & FLAG_EPHEMERAL:
                store_message(server, channel, msg)
                dispatch_message_event(server, "MESSAGE_CREATE", msg)
        server.bot_messages.append(sent)
        if ctx.flag("wait"):
            return ok(public(sent.message))
        return NO_CONTENT

    async def get_webhook_message(
        self, ctx: Ctx, webhook_id: str, webhook_token: str, message_id: str
    ) -> Result:
        rec = self._webhook_interaction(webhook_id, webhook_token)
        return ok(public(self._webhook_target(rec, message_id).message))

    async def edit_webhook_message(
        self, ctx: Ctx, webhook_id: str, webhook_token: str, message_id: str
    ) -> Result:
        server = self.server
        rec = self._webhook_interaction(webhook_id, webhook_token)
        sent = self._webhook_target(rec, message_id)
        payload = ctx.body if isinstance(ctx.body, dict) else {}
        errors = FormErrors()
        check_message(payload, errors, (), n_files=len(ctx.files))
        errors.raise_if_any()
        channel = server.world.channels[sent.channel_id]
        self._apply_edit(sent.message, payload, ctx.files, channel)
        rec.edits.append(payload)
        if not sent.ephemeral:
            dispatch_message_event(server, "MESSAGE_UPDATE", sent.message)
        return ok(public(sent.message))

    async def delete_webhook_message(
        self, ctx: Ctx, webhook_id: str, webhook_token: str, message_id: str
    ) -> Result:
        server = self.server
        rec = self._webhook_interaction(webhook_id, webhook_token)
        sent = self._webhook_target(rec, message_id)
        sent.message["_deleted"] = True
        if sent is rec.original:
            rec.original_deleted = True
        if not sent.ephemeral:
            dispatch_message_delete(server, sent.message)
        return NO_CONTENT

    # ================================================================== channels
    async def get_channel(self, ctx: Ctx, channel_id: str) -> Result:
        channel = self._channel(channel_id)
        self._require(channel, Permissions.VIEW_CHANNEL)
        return ok(self.server.world.channel_json(channel.id))

    async def list_messages(self, ctx: Ctx, channel_id: str) -> Result:
        world = self.server.world
        channel = self._channel(channel_id)
        self._require(channel, Permissions.VIEW_CHANNEL)
        if channel.guild_id is not None:
            perms = world.channel_permissions(channel, self.server.bot_user.id)
            if not perms & Permissions.READ_MESSAGE_HISTORY:
                return ok([])
        try:
            limit = int(ctx.query.get("limit", "50"))
        except ValueError:
            limit = 50
        if not 1 <= limit <= 100:
            errors = FormErrors()
            errors.add(("limit",), "NUMBER_TYPE_MAX", "int value should be <= 100.")
            errors.raise_if_any()
        ids = [m for m in world.channel_messages.get(channel.id, []) if m in world.messages]
        ids = [m for m in ids if not world.messages[m].get("_deleted")]
        if "before" in ctx.query:
            ids = [m for m in ids if m < int(ctx.query["before"])]
        if "after" in ctx.query:
            ids = [m for m in ids if m > int(ctx.query["after"])]
            ids = ids[:limit]
        ids = sorted(ids, reverse=True)[:limit]
        return ok([public(world.messages[m]) for m in ids])

    async def create_channel_message(self, ctx: Ctx, channel_id: str) -> Result:
        server = self.server
        world = server.world
        channel = self._channel(channel_id)
        if channel.type not in ChannelType.TEXT_CAPABLE:
            raise APIError(
                400, E.CANNOT_SEND_IN_NON_TEXT_CHANNEL, "Cannot send messages in a non-text channel"
            )
        self._require(channel, self._send_permission(channel))
        if channel.type == ChannelType.DM:
            recipient = world.users[channel.recipient_id]  # type: ignore[index]
            if (
                recipient.bot
                or not recipient.dms_open
                or not world.shares_guild(recipient.id, server.bot_user.id)
            ):
                raise APIError(403, E.CANNOT_SEND_TO_USER, "Cannot send messages to this user")
        payload, flags = self._validate_message(ctx.body, ctx.files)
        if ctx.files and channel.guild_id is not None:
            self._require(channel, Permissions.ATTACH_FILES)
        reference = None
        ref = payload.get("message_reference")
        msg_type = 0
        if isinstance(ref, dict) and ref.get("message_id") is not None:
            if channel.guild_id is not None:
                perms = world.channel_permissions(channel, server.bot_user.id)
                if not perms & Permissions.READ_MESSAGE_HISTORY:
                    raise APIError(
                        400, 160002, "Cannot reply without permission to read message history"
                    )
            target = world.messages.get(int(ref["message_id"]))
            ref_channel = int(ref.get("channel_id") or channel.id)
            if target is None or target.get("_deleted") or int(target["channel_id"]) != ref_channel:
                if ref.get("fail_if_not_exists", True):
                    errors = FormErrors()
                    errors.add(
                        ("message_reference",),
                        "MESSAGE_REFERENCE_UNKNOWN_MESSAGE",
                        "Unknown message",
                    )
                    errors.raise_if_any()
            else:
                reference = target
                msg_type = 19
        msg = build_message(
            server,
            channel,
            payload,
            author_id=server.bot_user.id,
            files=ctx.files,
            msg_type=msg_type,
            flags=flags,
            reference=reference,
        )
        store_message(server, channel, msg)
        sent = SentMessage(msg, payload, "channel", channel.id, None, ctx.files)
        server.bot_messages.append(sent)
        dispatch_message_event(server, "MESSAGE_CREATE", msg)
        return ok(msg)

    async def get_message(self, ctx: Ctx, channel_id: str, message_id: str) -> Result:
        channel = self._channel(channel_id)
        self._require(channel, Permissions.VIEW_CHANNEL | Permissions.READ_MESSAGE_HISTORY)
        return ok(public(self._message_in(channel, message_id)))

    async def edit_message(self, ctx: Ctx, channel_id: str, message_id: str) -> Result:
        server = self.server
        channel = self._channel(channel_id)
        self._require(channel, Permissions.VIEW_CHANNEL)
        msg = self._message_in(channel, message_id)
        payload = ctx.body if isinstance(ctx.body, dict) else {}
        if int(msg["author"]["id"]) != server.bot_user.id:
            if set(payload) - {"flags"}:
                raise APIError(
                    403,
                    E.CANNOT_EDIT_OTHER_USERS_MESSAGE,
                    "Cannot edit a message authored by another user",
                )
            self._require(channel, Permissions.MANAGE_MESSAGES)
        errors = FormErrors()
        check_message(payload, errors, (), n_files=len(ctx.files))
        errors.raise_if_any()
        self._apply_edit(msg, payload, ctx.files, channel)
        dispatch_message_event(server, "MESSAGE_UPDATE", msg)
        return ok(public(msg))

    async def delete_message(self, ctx: Ctx, channel_id: str, message_id: str) -> Result:
        server = self.server
        channel = self._channel(channel_id)
        self._require(channel, Permissions.VIEW_CHANNEL)
        msg = self._message_in(channel, message_id)
        if int(msg["author"]["id"]) != server.bot_user.id:
            self._require(channel, Permissions.MANAGE_MESSAGES)
        msg["_deleted"] = True
        dispatch_message_delete(server, msg)
        return NO_CONTENT

    async def trigger_typing(self, ctx: Ctx, channel_id: str) -> Result:
        channel = self._channel(channel_id)
        self._require(channel, self._send_permission(channel))
        self.server.typing.append(channel.id)
        return NO_CONTENT

    async def add_reaction(self, ctx: Ctx, channel_id: str, message_id: str, emoji: str) -> Result:
        channel = self._channel(channel_id)
        self._require(
            channel,
            Permissions.VIEW_CHANNEL | Permissions.READ_MESSAGE_HISTORY | Permissions.ADD_REACTIONS,
        )
        msg = self._message_in(channel, message_id)
        reactions = msg.setdefault("_bot_reactions", [])
        if emoji not in reactions:
            reactions.append(emoji)
        self.server.reactions.append((int(msg["id"]), emoji))
        return NO_CONTENT

    async def remove_reaction(
        self, ctx: Ctx, channel_id: str, message_id: str, emoji: str
    ) -> Result:
        channel = self._channel(channel_id)
        self._require(channel, Permissions.VIEW_CHANNEL | Permissions.READ_MESSAGE_HISTORY)
        msg = self._message_in(channel, message_id)
        reactions = msg.setdefault("_bot_reactions", [])
        if emoji in reactions:
            reactions.remove(emoji)
        return NO_CONTENT

    # ==================================================================== guilds
    def _guild(self, guild_id: str):
        server = self.server
        try:
            guild = server.world.guilds.get(int(guild_id))
        except ValueError:
            guild = None
        if guild is None:
            raise E.unknown("Guild")
        if server.bot_user.id not in guild.members:
            raise E.missing_access()
        return guild

    async def get_guild(self, ctx: Ctx, guild_id: str) -> Result:
        guild = self._guild(guild_id)
        data = self.server.world.guild_json(guild.id)
        if ctx.flag("with_counts"):
            data["approximate_member_count"] = len(guild.members)
            data["approximate_presence_count"] = 0
        return ok(data)

    async def get_guild_channels(self, ctx: Ctx, guild_id: str) -> Result:
        guild = self._guild(guild_id)
        world = self.server.world
        return ok(
            [
                world.channel_json(c)
                for c in guild.channel_ids
                if world.channels[c].type not in ChannelType.THREADS
            ]
        )

    async def get_guild_roles(self, ctx: Ctx, guild_id: str) -> Result:
        guild = self._guild(guild_id)
        return ok([r.to_dict() for r in guild.roles.values()])

    async def get_member(self, ctx: Ctx, guild_id: str, user_id: str) -> Result:
        guild = self._guild(guild_id)
        try:
            uid = int(user_id)
        except ValueError:
            uid = -1
        if uid not in guild.members:
            raise E.unknown("Member")
        return ok(self.server.world.member_json(guild.id, uid))

    async def list_members(self, ctx: Ctx, guild_id: str) -> Result:
        guild = self._guild(guild_id)
        if not self.server.privileged_intents.get("members"):
            raise E.missing_access()
        limit = int(ctx.query.get("limit", "1"))
        after = int(ctx.query.get("after", "0"))
        ids = sorted(uid for uid in guild.members if uid > after)[:limit]
        return ok([self.server.world.member_json(guild.id, uid) for uid in ids])
