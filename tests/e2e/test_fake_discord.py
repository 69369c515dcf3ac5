"""The fake Discord against a real discord.py client (in-process), plus raw protocol checks."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.ext import commands

from tests.fake_discord import (
    FakeDiscord,
    FakeDiscordUsageError,
    Permissions,
    point_discord_py_at,
    running_client,
    shard_for_guild,
)

FAST = {"guild_ready_timeout": 0.05}


def content_intents() -> discord.Intents:
    intents = discord.Intents.default()
    intents.message_content = True
    return intents


def make_bot(intents: discord.Intents | None = None) -> commands.Bot:
    return commands.Bot(command_prefix="!", intents=intents or discord.Intents.default(), **FAST)


def add_echo(client: discord.Client, seen: list[discord.Message] | None = None) -> None:
    @client.event
    async def on_message(message: discord.Message) -> None:
        if message.author.bot:
            return
        if seen is not None:
            seen.append(message)
        await message.reply(
            f"echo: {message.content}", allowed_mentions=discord.AllowedMentions.none()
        )


# --------------------------------------------------------------------------- login
async def test_login_ready_and_guild_create(fake_discord: FakeDiscord) -> None:
    world = fake_discord.add_basic_world()
    client = discord.Client(intents=discord.Intents.default(), **FAST)
    async with running_client(client, fake_discord.token):
        assert client.user is not None
        assert client.user.id == fake_discord.bot_user.id
        assert client.application_id == fake_discord.application_id
        guild = client.get_guild(world.guild.id)
        assert guild is not None and guild.name == "Test Guild"
        channel = guild.get_channel(world.channel.id)
        assert isinstance(channel, discord.TextChannel) and channel.name == "general"
        assert guild.me is not None and guild.me.id == client.user.id
        assert channel.permissions_for(guild.me).send_messages
    (identify,) = fake_discord.identifies
    assert identify.detail["intents"] == discord.Intents.default().value
    assert identify.shard == (0, 1)
    assert [r.key for r in fake_discord.requests[:2]] == [
        "GET /users/@me",
        "GET /oauth2/applications/@me",
    ]
    fake_discord.assert_no_errors()


async def test_wrong_token_fails_login(fake_discord: FakeDiscord) -> None:
    client = discord.Client(intents=discord.Intents.default())
    with pytest.raises(discord.LoginFailure):
        await client.login("not-the-token")
    await client.close()
    (error,) = fake_discord.errors
    assert (error.status, error.response) == (401, {"message": "401: Unauthorized", "code": 0})


async def test_message_content_intent_not_allowed_closes_4014(fake_discord: FakeDiscord) -> None:
    fake_discord.add_basic_world()
    client = discord.Client(intents=content_intents(), **FAST)
    with pytest.raises(discord.PrivilegedIntentsRequired):
        async with running_client(client, fake_discord.token):
            pass
    assert [e.code for e in fake_discord.gateway_errors] == [4014]


# ------------------------------------------------------------------------ messages
async def test_receives_message_and_replies(fake_discord: FakeDiscord) -> None:
    fake_discord.set_privileged_intents(message_content=True)
    world = fake_discord.add_basic_world()
    client = discord.Client(intents=content_intents(), **FAST)
    seen: list[discord.Message] = []
    add_echo(client, seen)
    async with running_client(client, fake_discord.token):
        sent = fake_discord.dispatch_message(world.channel.id, world.user.id, "hello bot")
        reply = await fake_discord.wait_for_message(world.channel.id)
    assert reply.content == "echo: hello bot"
    assert reply.allowed_mentions == {"parse": []}
    assert reply.message["message_reference"]["message_id"] == sent["id"]
    assert reply.message["mentions"] == []  # allowed_mentions.none(): nobody pinged
    assert seen[0].author.id == world.user.id and seen[0].guild is not None
    fake_discord.assert_no_errors()


async def test_content_withheld_without_message_content_intent(fake_discord: FakeDiscord) -> None:
    world = fake_discord.add_basic_world()
    client = discord.Client(intents=discord.Intents.default(), **FAST)
    seen: list[discord.Message] = []
    add_echo(client, seen)
    bot_id = fake_discord.bot_user.id
    async with running_client(client, fake_discord.token):
        fake_discord.dispatch_message(world.channel.id, world.user.id, "secret")
        plain = await fake_discord.wait_for_message(world.channel.id)
        fake_discord.dispatch_message(world.channel.id, world.user.id, f"<@{bot_id}> hi")
        mentioned = await fake_discord.wait_for_message(world.channel.id)
        fake_discord.dispatch_dm(world.user.id, "in a dm")
        dm = await fake_discord.wait_for_message(fake_discord.dm_channel(world.user.id).id)
    assert plain.content == "echo: "
    assert mentioned.content == f"echo: <@{bot_id}> hi"
    assert dm.content == "echo: in a dm"


async def test_message_limits_are_enforced(fake_discord: FakeDiscord) -> None:
    world = fake_discord.add_basic_world()
    client = discord.Client(intents=discord.Intents.default(), **FAST)
    async with running_client(client, fake_discord.token):
        channel = client.get_channel(world.channel.id)
        assert isinstance(channel, discord.TextChannel)
        with pytest.raises(discord.HTTPException) as too_long:
            await channel.send("x" * 2001)
        with pytest.raises(discord.HTTPException) as title:
            await channel.send(embed=discord.Embed(title="t" * 257))
        with pytest.raises(discord.HTTPException) as total:
            await channel.send(
                embeds=[
                    discord.Embed(description="d" * 4000),
                    discord.Embed(description="e" * 2001),
                ]
            )
        with pytest.raises(discord.HTTPException) as empty:
            await channel.send()
        ok = await channel.send("x" * 2000)
    assert too_long.value.status == 400 and too_long.value.code == 50035
    assert "In content: Must be 2000 or fewer in length." in too_long.value.text
    assert "embeds.0.title" in title.value.text
    assert "Embed size exceeds maximum size of 6000" in total.value.text
    assert (empty.value.status, empty.value.code) == (400, 50006)
    assert len(ok.content) == 2000
    assert [e.status for e in fake_discord.errors] == [400, 400, 400, 400]
    assert fake_discord.messages_in(world.channel.id)[-1]["id"] == str(ok.id)


async def test_missing_send_permission_is_forbidden(fake_discord: FakeDiscord) -> None:
    world = fake_discord.add_basic_world()
    fake_discord.set_permission_overwrite(
        world.channel.id, fake_discord.bot_user.id, deny=Permissions.SEND_MESSAGES
    )
    client = discord.Client(intents=discord.Intents.default(), **FAST)
    async with running_client(client, fake_discord.token):
        channel = client.get_channel(world.channel.id)
        assert isinstance(channel, discord.TextChannel)
        assert not channel.permissions_for(channel.guild.me).send_messages
        with pytest.raises(discord.Forbidden) as exc:
            await channel.send("hi")
    assert exc.value.code == 50013


# ------------------------------------------------------------------- app commands
async def test_tree_sync_stores_commands_and_rejects_invalid(fake_discord: FakeDiscord) -> None:
    world = fake_discord.add_basic_world()
    bot = make_bot()

    @bot.tree.command(name="ask", description="Ask a question")
    @app_commands.describe(question="What you want to know")
    async def ask(interaction: discord.Interaction, question: str, hint: bool = False) -> None:
        await interaction.response.send_message(question)

    async with running_client(bot, fake_discord.token):
        synced = await bot.tree.sync()
        assert [c.name for c in synced] == ["ask"]
        guild = discord.Object(world.guild.id)
        bot.tree.copy_global_to(guild=guild)
        assert [c.name for c in await bot.tree.sync(guild=guild)] == ["ask"]

        bad = app_commands.Command(name="bad", description="ok", callback=ask.callback)
        bad.description = "x" * 101  # discord.py checks at creation; Discord checks at sync
        bot.tree.add_command(bad)
        with pytest.raises(discord.HTTPException) as exc:
            await bot.tree.sync()

    (stored,) = fake_discord.global_commands
    assert stored["name"] == "ask" and stored["description"] == "Ask a question"
    assert [(o["name"], o["type"], o.get("required")) for o in stored["options"]] == [
        ("question", 3, True),
        ("hint", 5, False),
    ]
    assert [c["name"] for c in fake_discord.guild_commands(world.guild.id)] == ["ask"]
    assert exc.value.status == 400 and exc.value.code == 50035
    assert fake_discord.errors[-1].response["errors"]["1"]["description"]["_errors"][0] == {
        "code": "BASE_TYPE_BAD_LENGTH",
        "message": "Must be between 1 and 100 in length.",
    }


async def test_command_rules(fake_discord: FakeDiscord) -> None:
    """Raw bulk overwrites that discord.py would refuse to build."""
    url = f"{fake_discord.api_base}/applications/{fake_discord.application_id}/commands"
    headers = {"Authorization": f"Bot {fake_discord.token}"}

    def opt(name: str, required: bool = False, type: int = 3) -> dict[str, Any]:
        return {"name": name, "description": "d", "type": type, "required": required}

    cases = {
        "Upper": {"name": "Upper", "description": "d"},
        "space": {"name": "two words", "description": "d"},
        "order": {"name": "o", "description": "d", "options": [opt("a"), opt("b", True)]},
        "many": {"name": "m", "description": "d", "options": [opt(f"o{i}") for i in range(26)]},
        "nesting": {
            "name": "n",
            "description": "d",
            "options": [
                {
                    **opt("g", type=2),
                    "options": [{**opt("s", type=1), "options": [opt("deep", type=1)]}],
                }
            ],
        },
        "mixed": {"name": "x", "description": "d", "options": [opt("s", type=1), opt("v")]},
    }
    async with aiohttp.ClientSession(headers=headers) as session:
        for name, cmd in cases.items():
            async with session.put(url, json=[cmd]) as resp:
                body = await resp.json()
                assert resp.status == 400, name
                assert body["code"] == 50035 and body["message"] == "Invalid Form Body", name
        async with session.put(
            url, json=[{"name": f"c{i}", "description": "d"} for i in range(101)]
        ) as resp:
            assert resp.status == 400
        async with session.put(url, json=[{"name": "ok-name_1", "description": "d"}]) as resp:
            assert resp.status == 200
    assert [c["name"] for c in fake_discord.global_commands] == ["ok-name_1"]


async def test_interaction_single_response_and_followups(fake_discord: FakeDiscord) -> None:
    world = fake_discord.add_basic_world()
    bot = make_bot()
    early: list[Exception] = []

    @bot.tree.command(name="ask", description="Ask")
    async def ask(interaction: discord.Interaction, question: str) -> None:
        try:
            await interaction.followup.send("too early")
        except discord.NotFound as exc:
            early.append(exc)
        await interaction.response.defer(thinking=True)
        await interaction.followup.send(f"answer: {question}")
        await interaction.followup.send("extra", ephemeral=True)
        await interaction.edit_original_response(content="final answer")

    async with running_client(bot, fake_discord.token):
        await bot.tree.sync()
        rec = fake_discord.dispatch_slash_command(
            "ask", user_id=world.user.id, channel_id=world.channel.id, options={"question": "why"}
        )
        await fake_discord.wait_for_followup(rec, 2)
        await fake_discord.wait_for(lambda: rec.edits, what="edit of the original")
        # A second initial response is rejected.
        async with aiohttp.ClientSession() as session:
            url = f"{fake_discord.api_base}/interactions/{rec.id}/{rec.token}/callback"
            async with session.post(url, json={"type": 4, "data": {"content": "again"}}) as resp:
                assert resp.status == 400
                assert await resp.json() == {
                    "message": "Interaction has already been acknowledged.",
                    "code": 40060,
                }
    assert early and early[0].code == 10015
    assert rec.response == {"type": 5}  # defer(thinking=True)
    first, extra = rec.followups
    assert first.message is rec.original.message  # first followup replaced "thinking..."
    assert rec.original.content == "final answer"
    assert extra.ephemeral and extra.content == "extra"
    msg = (await fake_discord.wait_for_interaction_message(rec)).message
    assert msg["interaction_metadata"]["user"]["id"] == str(world.user.id)


async def test_interaction_response_after_3_seconds_is_unknown(fake_discord: FakeDiscord) -> None:
    world = fake_discord.add_basic_world()
    bot = make_bot()
    failures: list[discord.HTTPException] = []

    @bot.tree.command(name="slow", description="Too slow")
    async def slow(interaction: discord.Interaction) -> None:
        fake_discord.advance_clock(3.5)  # pretend the bot took 3.5 s
        try:
            await interaction.response.send_message("late")
        except discord.HTTPException as exc:
            failures.append(exc)

    async with running_client(bot, fake_discord.token):
        await bot.tree.sync()
        fake_discord.dispatch_slash_command("slow", user_id=world.user.id, guild_id=world.guild.id)
        await fake_discord.wait_for(lambda: failures, what="the late response")
    assert isinstance(failures[0], discord.NotFound) and failures[0].code == 10062


async def test_component_click_and_autocomplete(fake_discord: FakeDiscord) -> None:
    world = fake_discord.add_basic_world()
    bot = make_bot()

    class Confirm(discord.ui.View):
        @discord.ui.button(label="Yes", custom_id="yes", style=discord.ButtonStyle.green)
        async def yes(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
            await interaction.response.edit_message(content="confirmed", view=None)

    async def topics(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [
            app_commands.Choice(name=t, value=t) for t in ("kim", "kids") if t.startswith(current)
        ]

    @bot.tree.command(name="quiz", description="Quiz")
    @app_commands.autocomplete(topic=topics)
    async def quiz(interaction: discord.Interaction, topic: str) -> None:
        await interaction.response.send_message(f"quiz on {topic}", view=Confirm())

    async with running_client(bot, fake_discord.token):
        await bot.tree.sync()
        ac = fake_discord.dispatch_autocomplete(
            "quiz",
            user_id=world.user.id,
            channel_id=world.channel.id,
            focused="topic",
            options={"topic": "ki"},
        )
        await fake_discord.wait_for_interaction_response(ac)
        cmd = fake_discord.dispatch_slash_command(
            "quiz", user_id=world.user.id, channel_id=world.channel.id, options={"topic": "kim"}
        )
        reply = await fake_discord.wait_for_interaction_message(cmd)
        assert reply.components[0]["components"][0]["custom_id"] == "yes"
        click = fake_discord.dispatch_component(reply.id, "yes", user_id=world.user.id)
        await fake_discord.wait_for_interaction_response(click)
    assert ac.choices == [{"name": "kim", "value": "kim"}, {"name": "kids", "value": "kids"}]
    assert click.response_type == 7
    assert reply.content == "confirmed" and reply.components == []
    with pytest.raises(FakeDiscordUsageError):
        fake_discord.dispatch_component(reply.id, "yes", user_id=world.user.id)
    fake_discord.assert_no_errors()


async def test_modal_and_context_menus(fake_discord: FakeDiscord) -> None:
    world = fake_discord.add_basic_world()
    bot = make_bot()

    class Feedback(discord.ui.Modal, title="Feedback"):
        answer: discord.ui.TextInput[Feedback] = discord.ui.TextInput(
            label="Answer", custom_id="answer", max_length=50
        )

        async def on_submit(self, interaction: discord.Interaction) -> None:
            await interaction.response.send_message(f"got {self.answer.value}", ephemeral=True)

    @bot.tree.command(name="feedback", description="Give feedback")
    async def feedback(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(Feedback())

    @bot.tree.context_menu(name="Quote")
    async def quote(interaction: discord.Interaction, message: discord.Message) -> None:
        await interaction.response.send_message(f"> {message.content}")

    async with running_client(bot, fake_discord.token):
        await bot.tree.sync()
        shown = fake_discord.dispatch_slash_command(
            "feedback", user_id=world.user.id, guild_id=world.guild.id
        )
        await fake_discord.wait_for_interaction_response(shown)
        submitted = fake_discord.dispatch_modal_submit(shown.id, {"answer": "great"})
        reply = await fake_discord.wait_for_interaction_message(submitted)
        said = fake_discord.dispatch_message(world.channel.id, world.user.id, "quotable")
        menu = fake_discord.dispatch_context_menu(
            "Quote",
            kind="message",
            user_id=world.user.id,
            target_id=int(said["id"]),
            guild_id=world.guild.id,
        )
        quoted = await fake_discord.wait_for_interaction_message(menu)
    assert shown.response_type == 9 and shown.response_data["title"] == "Feedback"
    assert reply.content == "got great" and reply.ephemeral
    assert quoted.content == "> quotable"
    with pytest.raises(FakeDiscordUsageError, match="length"):
        fake_discord.dispatch_modal_submit(shown.id, {"answer": "x" * 51})
    fake_discord.assert_no_errors()


async def test_unregistered_command_cannot_be_dispatched(fake_discord: FakeDiscord) -> None:
    world = fake_discord.add_basic_world()
    with pytest.raises(FakeDiscordUsageError, match="not registered"):
        fake_discord.dispatch_slash_command("nope", user_id=world.user.id, guild_id=world.guild.id)


# ------------------------------------------------------------------------- gateway
async def test_force_close_resume_and_keep_answering(fake_discord: FakeDiscord) -> None:
    fake_discord.set_privileged_intents(message_content=True)
    world = fake_discord.add_basic_world()
    client = discord.Client(intents=content_intents(), **FAST)
    add_echo(client)
    resumed = asyncio.Event()

    @client.event
    async def on_resumed() -> None:
        resumed.set()

    async with running_client(client, fake_discord.token):
        assert fake_discord.close_gateway(4000) == 1
        await fake_discord.wait_for_resume(1)
        await asyncio.wait_for(resumed.wait(), 5)
        fake_discord.dispatch_message(world.channel.id, world.user.id, "after resume")
        assert (await fake_discord.wait_for_message(world.channel.id)).content == (
            "echo: after resume"
        )
        # Abrupt drop; an event sent while disconnected is replayed on RESUME.
        fake_discord.close_gateway(abrupt=True)
        fake_discord.dispatch_message(world.channel.id, world.user.id, "while away")
        resume = await fake_discord.wait_for_resume(2)
        assert (await fake_discord.wait_for_message(world.channel.id)).content == (
            "echo: while away"
        )
    assert resume.detail["replayed"] >= 1
    assert len(fake_discord.identifies) == 1
    fake_discord.assert_no_errors()


async def test_sharding_follows_discords_formula(fake_discord: FakeDiscord) -> None:
    base = fake_discord.snowflakes.next()
    gid0 = base if shard_for_guild(base, 2) == 0 else base + (1 << 22)
    g0 = fake_discord.add_guild("zero", id=gid0)
    g1 = fake_discord.add_guild("one", id=gid0 + (1 << 22))
    fake_discord.recommended_shards = 2

    class Sharded(discord.AutoShardedClient):
        async def before_identify_hook(
            self, shard_id: int | None, *, initial: bool = False
        ) -> None:
            return None  # skip discord.py's 5 s wait between shards

    client = Sharded(intents=discord.Intents.default(), **FAST)
    async with running_client(client, fake_discord.token):
        assert client.shard_count == 2
        got0, got1 = client.get_guild(g0.id), client.get_guild(g1.id)
        assert got0 is not None and got0.shard_id == 0
        assert got1 is not None and got1.shard_id == 1
    by_shard = {e.shard: e for e in fake_discord.identifies}
    assert set(by_shard) == {(0, 2), (1, 2)}
    fake_discord.assert_no_errors()


async def _raw_gateway(fd: FakeDiscord, frames: list[dict[str, Any]]) -> tuple[list[Any], Any]:
    received: list[Any] = []
    url = fd.gateway_url + "?v=10&encoding=json"
    async with aiohttp.ClientSession() as session, session.ws_connect(url) as ws:
        received.append(json.loads((await ws.receive()).data))
        for frame in frames:
            await ws.send_json(frame)
        async for msg in ws:
            if msg.type is aiohttp.WSMsgType.TEXT:
                received.append(json.loads(msg.data))
                if received[-1]["op"] == 9:
                    break
            else:
                break
        return received, ws.close_code


async def test_raw_gateway_rules(fake_discord: FakeDiscord) -> None:
    hello, code = await _raw_gateway(
        fake_discord, [{"op": 2, "d": {"token": "wrong", "intents": 0, "properties": {}}}]
    )
    assert hello[0]["op"] == 10 and hello[0]["d"]["heartbeat_interval"] == 41250
    assert code == 4004
    _, code = await _raw_gateway(fake_discord, [{"op": 3, "d": {}}])
    assert code == 4003
    frames, _ = await _raw_gateway(
        fake_discord,
        [
            {"op": 1, "d": None},
            {"op": 6, "d": {"token": fake_discord.token, "session_id": "x", "seq": 1}},
        ],
    )
    assert [f["op"] for f in frames] == [10, 11, 9] and frames[-1]["d"] is False
    _, code = await _raw_gateway(
        fake_discord, [{"op": 2, "d": {"token": fake_discord.token, "intents": 1, "shard": [2, 2]}}]
    )
    assert code == 4010


# -------------------------------------------------------------------------- faults
async def test_injected_rate_limit_and_server_error(fake_discord: FakeDiscord) -> None:
    world = fake_discord.add_basic_world()
    client = discord.Client(intents=discord.Intents.default(), **FAST)
    async with running_client(client, fake_discord.token):
        channel = client.get_channel(world.channel.id)
        assert isinstance(channel, discord.TextChannel)
        route = "POST /channels/{channel_id}/messages"
        fake_discord.rate_limit_next(route, retry_after=0.05)
        await channel.send("after a 429")
        fake_discord.fail_next(f"POST /channels/{world.channel.id}/messages")
        await channel.send("after a 500")  # discord.py retries 5xx after 1 s
    requests = fake_discord.requests_to(route)
    assert [r.status for r in requests] == [429, 200, 500, 200]
    received = [r.received_at for r in requests]  # on the fake's clock, in arrival order
    assert received == sorted(received) and received[0] > 0
    first = fake_discord.injected[0]
    assert first.response["retry_after"] == 0.05
    assert [m["content"] for m in fake_discord.messages_in(world.channel.id)] == [
        "after a 429",
        "after a 500",
    ]
    fake_discord.assert_no_errors()  # injected faults do not count as errors


# --------------------------------------------------------------------- thread mode
async def test_server_in_background_thread(fake_discord_thread: FakeDiscord) -> None:
    fd = fake_discord_thread
    fd.set_privileged_intents(message_content=True)
    world = fd.add_basic_world()
    restore = point_discord_py_at(fd.api_base, fd.gateway_url)
    try:
        client = discord.Client(intents=content_intents(), **FAST)
        add_echo(client)
        async with running_client(client, fd.token):
            fd.dispatch_message(world.channel.id, world.user.id, "cross-thread")
            reply = await fd.wait_for_message(world.channel.id)
    finally:
        restore()
    assert reply.content == "echo: cross-thread"
    fd.assert_no_errors()


# ---------------------------------------------------------------------- subprocess
SUBPROCESS_BOT = """
import os

import discord
import discord.gateway
import discord.http
import yarl

discord.http.Route.BASE = os.environ["DISCORD_API_BASE"]
discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(os.environ["DISCORD_GATEWAY_URL"])
intents = discord.Intents.default()
intents.message_content = True
client = discord.Client(intents=intents, guild_ready_timeout=0.05)


@client.event
async def on_message(message):
    if message.author.bot:
        return
    if message.content == "stop":
        await client.close()
        return
    await message.channel.send("subprocess: " + message.content)


client.run(os.environ["DISCORD_TOKEN"], log_handler=None)
"""


async def test_bot_in_a_subprocess(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    fake_discord.set_privileged_intents(message_content=True)
    world = fake_discord.add_basic_world()
    script = tmp_path / "bot.py"
    script.write_text(SUBPROCESS_BOT)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, str(script), env={**os.environ, **fake_discord.env}
    )
    try:
        await fake_discord.wait_for_identify(timeout=20)
        fake_discord.dispatch_message(world.channel.id, world.user.id, "hi")
        reply = await fake_discord.wait_for_message(world.channel.id, timeout=10)
        fake_discord.dispatch_message(world.channel.id, world.user.id, "stop")
        assert await asyncio.wait_for(proc.wait(), 10) == 0
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert reply.content == "subprocess: hi"
    fake_discord.assert_no_errors()
