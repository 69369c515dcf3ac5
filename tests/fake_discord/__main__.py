"""Run the fake standalone: ``python -m tests.fake_discord [--port N] [--message-content]``.

Creates a basic world (guild, #general, user alice), prints the environment for
the bot, and serves until Ctrl-C. Handy for poking at the bot by hand.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib

from .server import FakeDiscord


async def _main(args: argparse.Namespace) -> None:
    async with FakeDiscord(port=args.port, message_content_allowed=args.message_content) as fd:
        world = fd.add_basic_world()
        for key, value in fd.env.items():
            print(f"{key}={value}")
        print(f"# guild={world.guild.id} channel={world.channel.id} user={world.user.id}")
        await asyncio.Event().wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--message-content", action="store_true")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_main(parser.parse_args()))


if __name__ == "__main__":
    main()
