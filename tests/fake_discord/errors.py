"""Discord-style API errors and the ``Invalid Form Body`` error tree."""

from __future__ import annotations

from typing import Any

# JSON error codes used by the fake (a subset of Discord's).
GENERAL = 0
UNKNOWN_APPLICATION = 10002
UNKNOWN_CHANNEL = 10003
UNKNOWN_GUILD = 10004
UNKNOWN_MEMBER = 10007
UNKNOWN_MESSAGE = 10008
UNKNOWN_USER = 10013
UNKNOWN_WEBHOOK = 10015
UNKNOWN_INTERACTION = 10062
UNKNOWN_APPLICATION_COMMAND = 10063
MISSING_ACCESS = 50001
CANNOT_EDIT_OTHER_USERS_MESSAGE = 50005
EMPTY_MESSAGE = 50006
CANNOT_SEND_TO_USER = 50007
CANNOT_SEND_IN_NON_TEXT_CHANNEL = 50008
MISSING_PERMISSIONS = 50013
INVALID_WEBHOOK_TOKEN = 50027
INVALID_FORM_BODY = 50035
INVALID_JSON = 50109
ALREADY_ACKNOWLEDGED = 40060
ENTITY_TOO_LARGE = 40005


class APIError(Exception):
    """An error the fake answers with; ``body()`` is the JSON Discord would send."""

    def __init__(
        self,
        status: int,
        code: int,
        message: str,
        errors: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.errors:
            body["errors"] = self.errors
        return body


class FormErrors:
    """Collects field errors into Discord's nested ``errors`` tree.

    ``add(("embeds", 0, "title"), "BASE_TYPE_MAX_LENGTH", "...")`` produces
    ``{"embeds": {"0": {"title": {"_errors": [{"code": ..., "message": ...}]}}}}``.
    """

    def __init__(self) -> None:
        self.tree: dict[str, Any] = {}
        self.paths: list[str] = []

    def add(self, path: tuple[Any, ...] | list[Any], code: str, message: str) -> None:
        node = self.tree
        for part in path:
            node = node.setdefault(str(part), {})
        node.setdefault("_errors", []).append({"code": code, "message": message})
        self.paths.append(".".join(str(p) for p in path))

    def __bool__(self) -> bool:
        return bool(self.tree)

    def raise_if_any(self) -> None:
        if self.tree:
            raise invalid_form_body(self.tree)


def invalid_form_body(errors: dict[str, Any]) -> APIError:
    return APIError(400, INVALID_FORM_BODY, "Invalid Form Body", errors)


def unauthorized() -> APIError:
    return APIError(401, GENERAL, "401: Unauthorized")


def not_found() -> APIError:
    return APIError(404, GENERAL, "404: Not Found")


def method_not_allowed() -> APIError:
    return APIError(405, GENERAL, "405: Method Not Allowed")


def unknown(kind: str) -> APIError:
    codes = {
        "Application": UNKNOWN_APPLICATION,
        "Channel": UNKNOWN_CHANNEL,
        "Guild": UNKNOWN_GUILD,
        "Member": UNKNOWN_MEMBER,
        "Message": UNKNOWN_MESSAGE,
        "User": UNKNOWN_USER,
        "Webhook": UNKNOWN_WEBHOOK,
        "interaction": UNKNOWN_INTERACTION,
        "application command": UNKNOWN_APPLICATION_COMMAND,
    }
    return APIError(404, codes[kind], f"Unknown {kind}")


def missing_access() -> APIError:
    return APIError(403, MISSING_ACCESS, "Missing Access")


def missing_permissions() -> APIError:
    return APIError(403, MISSING_PERMISSIONS, "Missing Permissions")


def empty_message() -> APIError:
    return APIError(400, EMPTY_MESSAGE, "Cannot send an empty message")


def already_acknowledged() -> APIError:
    return APIError(400, ALREADY_ACKNOWLEDGED, "Interaction has already been acknowledged.")


def invalid_webhook_token() -> APIError:
    return APIError(401, INVALID_WEBHOOK_TOKEN, "Invalid Webhook Token")
