"""The container's health check: `python -m bot.healthcheck` asks the running bot's `/healthz`.

Exit 0 when `/healthz` answers 200 (connected and ready), 1 when it answers anything else
or nothing. With METRICS_PORT unset the bot serves no endpoint, so there is nothing to ask
and the check passes: whether the process is alive is then the container runtime's to see.
Only the standard library and the settings are imported, so the check stays light.
"""

from __future__ import annotations

import sys
import urllib.error
import urllib.request

from bot.settings import Settings, SettingsError, load_settings

# A monitor's probe must end well within Docker's default 30 s health-check timeout.
TIMEOUT_SECONDS = 5.0
# Addresses that mean "every interface": the check reaches those through loopback.
_ANY_ADDRESS = {"0.0.0.0", "::", "[::]"}


def health_url(settings: Settings) -> str | None:
    """Return the URL of the bot's `/healthz` as seen from its own machine (None: off)."""
    if settings.metrics_port is None:
        return None
    host = settings.metrics_host
    if host in _ANY_ADDRESS:
        host = "127.0.0.1"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address
    return f"http://{host}:{settings.metrics_port}/healthz"


def probe(url: str, timeout: float = TIMEOUT_SECONDS) -> tuple[bool, str]:
    """Return whether `url` answered 200, and one line saying what it answered."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200, f"{url}: {response.status}"
    except urllib.error.HTTPError as exc:
        return False, f"{url}: {exc.code}"
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return False, f"{url}: no answer ({reason})"


def main() -> int:
    """Check the bot's health as configured by its environment and `.env`."""
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"healthcheck: {exc}", file=sys.stderr)
        return 1
    url = health_url(settings)
    if url is None:
        print("healthcheck: METRICS_PORT is not set, so there is no /healthz to ask")
        return 0
    healthy, line = probe(url)
    print(f"healthcheck: {line}", file=sys.stdout if healthy else sys.stderr)
    return 0 if healthy else 1


if __name__ == "__main__":
    raise SystemExit(main())
