"""Discord's validation rules for messages, embeds, components and commands.

Every ``check_*`` function adds problems to a :class:`FormErrors` under the
path Discord would report (e.g. ``data.embeds.0.title``), so a failing request
gets the same ``400 / 50035 Invalid Form Body`` answer as on the real API.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from .errors import FormErrors

# ------------------------------------------------------------------ limits
CONTENT_MAX = 2000
EMBEDS_MAX = 10
EMBED_TITLE_MAX = 256
EMBED_DESCRIPTION_MAX = 4096
EMBED_FIELDS_MAX = 25
EMBED_FIELD_NAME_MAX = 256
EMBED_FIELD_VALUE_MAX = 1024
EMBED_FOOTER_MAX = 2048
EMBED_AUTHOR_MAX = 256
EMBED_TOTAL_MAX = 6000
ACTION_ROWS_MAX = 5
ROW_COMPONENTS_MAX = 5
V2_COMPONENTS_MAX = 40
CUSTOM_ID_MAX = 100
BUTTON_LABEL_MAX = 80
SELECT_OPTIONS_MAX = 25
SELECT_PLACEHOLDER_MAX = 150
ALLOWED_MENTIONS_IDS_MAX = 100
NONCE_MAX = 25
ATTACHMENTS_MAX = 10
STICKERS_MAX = 3

COMMAND_NAME_RE = re.compile(r"^[-_'\w]{1,32}$")
COMMAND_DESCRIPTION_MAX = 100
COMMAND_OPTIONS_MAX = 25
COMMAND_CHOICES_MAX = 25
COMMAND_TOTAL_CHARS_MAX = 4000
GLOBAL_CHAT_INPUT_MAX = 100
CONTEXT_MENU_MAX = 15
AUTOCOMPLETE_CHOICES_MAX = 25
MODAL_TITLE_MAX = 45
MODAL_COMPONENTS_MAX = 5

# Message flags
FLAG_SUPPRESS_EMBEDS = 1 << 2
FLAG_EPHEMERAL = 1 << 6
FLAG_LOADING = 1 << 7
FLAG_SUPPRESS_NOTIFICATIONS = 1 << 12
FLAG_IS_VOICE_MESSAGE = 1 << 13
FLAG_IS_COMPONENTS_V2 = 1 << 15

_URL_RE = re.compile(r"^(https?|attachment)://\S+$")


def _len_error(errors: FormErrors, path: tuple[Any, ...], limit: int) -> None:
    errors.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")


def _required(errors: FormErrors, path: tuple[Any, ...]) -> None:
    errors.add(path, "BASE_TYPE_REQUIRED", "This field is required")


def _check_str(
    errors: FormErrors,
    obj: dict[str, Any],
    key: str,
    path: tuple[Any, ...],
    *,
    max_len: int,
    min_len: int = 0,
    required: bool = False,
) -> int:
    """Checks ``obj[key]`` is a string of allowed length; returns its length."""
    value = obj.get(key)
    if value is None:
        if required:
            _required(errors, (*path, key))
        return 0
    if not isinstance(value, str):
        errors.add((*path, key), "BASE_TYPE_STRING", "Must be a string.")
        return 0
    if required and min_len == 0 and value == "":
        _required(errors, (*path, key))
    elif min_len and len(value) < min_len:
        errors.add(
            (*path, key),
            "BASE_TYPE_BAD_LENGTH",
            f"Must be between {min_len} and {max_len} in length.",
        )
    elif len(value) > max_len:
        if min_len:
            errors.add(
                (*path, key),
                "BASE_TYPE_BAD_LENGTH",
                f"Must be between {min_len} and {max_len} in length.",
            )
        else:
            _len_error(errors, (*path, key), max_len)
    return len(value)


def _check_url(errors: FormErrors, obj: dict[str, Any], key: str, path: tuple[Any, ...]) -> None:
    value = obj.get(key)
    if value is None:
        return
    if not isinstance(value, str) or not _URL_RE.match(value):
        errors.add((*path, key), "URL_TYPE_INVALID_URL", "Not a well formed URL.")


# ----------------------------------------------------------------- embeds
def check_embeds(embeds: Any, errors: FormErrors, path: tuple[Any, ...]) -> None:
    if embeds is None:
        return
    if not isinstance(embeds, list):
        errors.add(path, "BASE_TYPE_ARRAY", "Must be an array.")
        return
    if len(embeds) > EMBEDS_MAX:
        _len_error(errors, path, EMBEDS_MAX)
    total = 0
    for i, embed in enumerate(embeds):
        p = (*path, i)
        if not isinstance(embed, dict):
            errors.add(p, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
            continue
        total += _check_str(errors, embed, "title", p, max_len=EMBED_TITLE_MAX)
        total += _check_str(errors, embed, "description", p, max_len=EMBED_DESCRIPTION_MAX)
        _check_url(errors, embed, "url", p)
        ts = embed.get("timestamp")
        if ts is not None:
            try:
                _dt.datetime.fromisoformat(str(ts).replace("Z", "+00:00"))
            except ValueError:
                errors.add((*p, "timestamp"), "DATE_TYPE_PARSE", "Could not parse timestamp.")
        color = embed.get("color")
        if color is not None and (not isinstance(color, int) or not 0 <= color <= 0xFFFFFF):
            errors.add((*p, "color"), "NUMBER_TYPE_MAX", "int value should be <= 16777215.")
        footer = embed.get("footer")
        if isinstance(footer, dict):
            total += _check_str(
                errors, footer, "text", (*p, "footer"), max_len=EMBED_FOOTER_MAX, required=True
            )
            _check_url(errors, footer, "icon_url", (*p, "footer"))
        author = embed.get("author")
        if isinstance(author, dict):
            total += _check_str(
                errors, author, "name", (*p, "author"), max_len=EMBED_AUTHOR_MAX, required=True
            )
            _check_url(errors, author, "url", (*p, "author"))
            _check_url(errors, author, "icon_url", (*p, "author"))
        for key in ("image", "thumbnail"):
            media = embed.get(key)
            if isinstance(media, dict):
                if media.get("url") is None:
                    _required(errors, (*p, key, "url"))
                _check_url(errors, media, "url", (*p, key))
        fields = embed.get("fields")
        if fields is not None:
            if not isinstance(fields, list):
                errors.add((*p, "fields"), "BASE_TYPE_ARRAY", "Must be an array.")
            else:
                if len(fields) > EMBED_FIELDS_MAX:
                    _len_error(errors, (*p, "fields"), EMBED_FIELDS_MAX)
                for j, fld in enumerate(fields):
                    fp = (*p, "fields", j)
                    if not isinstance(fld, dict):
                        errors.add(fp, "DICT_TYPE_CONVERT", "Only dictionaries may be used")
                        continue
                    total += _check_str(
                        errors, fld, "name", fp, max_len=EMBED_FIELD_NAME_MAX, required=True
                    )
                    total += _check_str(
                        errors, fld, "value", fp, max_len=EMBED_FIELD_VALUE_MAX, required=True
                    )
    if total > EMBED_TOTAL_MAX:
        errors.add(
            path,
            "MAX_EMBED_SIZE_EXCEEDED",
            f"Embed size exceeds maximum size of {EMBED_TOTAL_MAX}",
        )


# ------------------------------------------------------------- components
_SELECT_TYPES = {3, 5, 6, 7, 8}
_V2_TYPES = {9, 10, 11, 12, 13, 14, 17, 18}


def _iter_custom_ids(components: Any) -> list[str]:
    out: list[str] = []
    if not isinstance(components, list):
        return out
    for comp in components:
        if not isinstance(comp, dict):
            continue
        if isinstance(comp.get("custom_id"), str):
            out.append(comp["custom_id"])
        out.extend(_iter_custom_ids(comp.get("components")))
        if isinstance(comp.get("accessory"), dict):
            out.extend(_iter_custom_ids([comp["accessory"]]))
        if isinstance(comp.get("component"), dict):
            out.extend(_iter_custom_ids([comp["component"]]))
    return out


def _count_components(components: Any) -> int:
    if not isinstance(components, list):
        return 0
    n = 0
    for comp in components:
        if not isinstance(comp, dict):
            continue
        n += 1
        n += _count_components(comp.get("components"))
        for key in ("accessory", "component"):
            if isinstance(comp.get(key), dict):
                n += _count_components([comp[key]])
    return n


def _check_interactive(comp: dict[str, Any], errors: FormErrors, p: tuple[Any, ...]) -> None:
    ctype = comp.get("type")
    if ctype == 2:  # button
        style = comp.get("style")
        if style not in (1, 2, 3, 4, 5, 6):
            errors.add(
                (*p, "style"), "BASE_TYPE_CHOICES", f"Value must be one of (1..6). ({style})"
            )
        _check_str(errors, comp, "label", p, max_len=BUTTON_LABEL_MAX)
        if style == 5:
            if not comp.get("url"):
                _required(errors, (*p, "url"))
            if comp.get("custom_id") is not None:
                errors.add(
                    (*p, "custom_id"),
                    "BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED",
                    "A custom id cannot be specified for link buttons",
                )
        elif style == 6:
            if not comp.get("sku_id"):
                _required(errors, (*p, "sku_id"))
        else:
            _check_str(errors, comp, "custom_id", p, max_len=CUSTOM_ID_MAX, required=True)
        if style != 6 and not comp.get("label") and not comp.get("emoji"):
            errors.add(
                p, "BUTTON_COMPONENT_LABEL_OR_EMOJI_REQUIRED", "A label or emoji is required"
            )
    elif ctype in _SELECT_TYPES:
        _check_str(errors, comp, "custom_id", p, max_len=CUSTOM_ID_MAX, required=True)
        _check_str(errors, comp, "placeholder", p, max_len=SELECT_PLACEHOLDER_MAX)
        min_v = comp.get("min_values", 1)
        max_v = comp.get("max_values", 1)
        if not isinstance(min_v, int) or not 0 <= min_v <= 25:
            errors.add((*p, "min_values"), "NUMBER_TYPE_MAX", "int value should be <= 25.")
        if not isinstance(max_v, int) or not 1 <= max_v <= 25:
            errors.add((*p, "max_values"), "NUMBER_TYPE_MAX", "int value should be <= 25.")
        if ctype == 3:
            options = comp.get("options")
            if not isinstance(options, list) or not options:
                errors.add(
                    (*p, "options"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 25 in length."
                )
            else:
                if len(options) > SELECT_OPTIONS_MAX:
                    errors.add(
                        (*p, "options"),
                        "BASE_TYPE_BAD_LENGTH",
                        "Must be between 1 and 25 in length.",
                    )
                values = set()
                for k, opt in enumerate(options):
                    op = (*p, "options", k)
                    if not isinstance(opt, dict):
                        continue
                    _check_str(errors, opt, "label", op, max_len=100, min_len=1, required=True)
                    _check_str(errors, opt, "value", op, max_len=100, min_len=1, required=True)
                    _check_str(errors, opt, "description", op, max_len=100)
                    if opt.get("value") in values:
                        errors.add(
                            (*op, "value"),
                            "SELECT_COMPONENT_OPTION_VALUE_DUPLICATED",
                            "Select component option values must be unique",
                        )
                    values.add(opt.get("value"))
                if isinstance(max_v, int) and max_v > len(options):
                    errors.add(
                        (*p, "max_values"),
                        "SELECT_COMPONENT_MAX_VALUES_TOO_HIGH",
                        "max_values must be less than or equal to the number of options",
                    )


def check_components(
    components: Any, errors: FormErrors, path: tuple[Any, ...], *, v2: bool = False
) -> None:
    if components is None:
        return
    if not isinstance(components, list):
        errors.add(path, "BASE_TYPE_ARRAY", "Must be an array.")
        return
    if v2:
        if _count_components(components) > V2_COMPONENTS_MAX:
            _len_error(errors, path, V2_COMPONENTS_MAX)
    elif len(components) > ACTION_ROWS_MAX:
        _len_error(errors, path, ACTION_ROWS_MAX)
    for i, row in enumerate(components):
        p = (*path, i)
        if not isinstance(row, dict):
            errors.add(p, "DICT_TYPE_CONVERT", "Only dictionaries may be used")
            continue
        rtype = row.get("type")
        if rtype != 1:
            if v2 and rtype in _V2_TYPES:
                continue
            errors.add(
                (*p, "type"),
                "COMPONENT_LAYOUT_WIDTH_EXCEEDED"
                if rtype in (2, *_SELECT_TYPES)
                else "UNION_TYPE_CHOICES",
                "Top-level components must be action rows"
                if not v2
                else f"Value of field 'type' must be one of {sorted(_V2_TYPES | {1})}.",
            )
            continue
        inner = row.get("components")
        if not isinstance(inner, list) or not inner:
            errors.add(
                (*p, "components"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length."
            )
            continue
        if len(inner) > ROW_COMPONENTS_MAX:
            errors.add(
                (*p, "components"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length."
            )
        has_select = any(isinstance(c, dict) and c.get("type") in _SELECT_TYPES for c in inner)
        if has_select and len(inner) > 1:
            errors.add(
                (*p, "components"),
                "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                "The specified component exceeds the maximum width",
            )
        for j, comp in enumerate(inner):
            cp = (*p, "components", j)
            if not isinstance(comp, dict):
                continue
            if comp.get("type") not in (2, *_SELECT_TYPES):
                errors.add(
                    (*cp, "type"),
                    "UNION_TYPE_CHOICES",
                    "Value of field 'type' must be one of (2, 3, 5, 6, 7, 8).",
                )
                continue
            _check_interactive(comp, errors, cp)
    ids = _iter_custom_ids(components)
    if len(ids) != len(set(ids)):
        errors.add(
            path, "COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id cannot be duplicated"
        )


# ------------------------------------------------------------ allowed mentions
def check_allowed_mentions(value: Any, errors: FormErrors, path: tuple[Any, ...]) -> None:
    if value is None:
        return
    if not isinstance(value, dict):
        errors.add(path, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        return
    parse = value.get("parse", [])
    if not isinstance(parse, list):
        errors.add((*path, "parse"), "BASE_TYPE_ARRAY", "Must be an array.")
        parse = []
    for i, p in enumerate(parse):
        if p not in ("users", "roles", "everyone"):
            errors.add(
                (*path, "parse", i),
                "BASE_TYPE_CHOICES",
                "Value must be one of {'users', 'roles', 'everyone'}.",
            )
    for key in ("users", "roles"):
        ids = value.get(key)
        if ids is None:
            continue
        if not isinstance(ids, list):
            errors.add((*path, key), "BASE_TYPE_ARRAY", "Must be an array.")
            continue
        if len(ids) > ALLOWED_MENTIONS_IDS_MAX:
            _len_error(errors, (*path, key), ALLOWED_MENTIONS_IDS_MAX)
        if key in parse and ids:
            errors.add(
                (*path, "parse"),
                "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                f'parse:["{key}"] and {key}: [ids...] are mutually exclusive.',
            )


# ---------------------------------------------------------------- messages
def check_message(
    payload: Any,
    errors: FormErrors,
    path: tuple[Any, ...] = (),
    *,
    n_files: int = 0,
) -> None:
    """Field-level checks on a message payload (create or edit)."""
    if not isinstance(payload, dict):
        errors.add(path, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        return
    flags = payload.get("flags") or 0
    v2 = bool(isinstance(flags, int) and flags & FLAG_IS_COMPONENTS_V2)
    _check_str(errors, payload, "content", path, max_len=CONTENT_MAX)
    check_embeds(payload.get("embeds"), errors, (*path, "embeds"))
    check_components(payload.get("components"), errors, (*path, "components"), v2=v2)
    check_allowed_mentions(payload.get("allowed_mentions"), errors, (*path, "allowed_mentions"))
    if v2:
        for key in ("content", "embeds", "poll", "stickers"):
            if payload.get(key):
                errors.add(
                    (*path, key),
                    "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
                    "The 'content', 'embeds', 'stickers' and 'poll' fields cannot be used "
                    "when using MessageFlags.IS_COMPONENTS_V2",
                )
    nonce = payload.get("nonce")
    if isinstance(nonce, str) and len(nonce) > NONCE_MAX:
        _len_error(errors, (*path, "nonce"), NONCE_MAX)
    stickers = payload.get("sticker_ids")
    if isinstance(stickers, list) and len(stickers) > STICKERS_MAX:
        _len_error(errors, (*path, "sticker_ids"), STICKERS_MAX)
    attachments = payload.get("attachments")
    if isinstance(attachments, list) and len(attachments) > ATTACHMENTS_MAX:
        _len_error(errors, (*path, "attachments"), ATTACHMENTS_MAX)
    if n_files > ATTACHMENTS_MAX:
        _len_error(errors, (*path, "files"), ATTACHMENTS_MAX)


def is_empty_message(message: dict[str, Any], *, n_files: int = 0) -> bool:
    """Discord's 50006 rule, applied to the resulting message."""
    content = message.get("content")
    if isinstance(content, str) and content.strip():
        return False
    if message.get("embeds") or message.get("components") or message.get("sticker_ids"):
        return False
    return not (message.get("poll") or message.get("attachments") or n_files)


# --------------------------------------------------------------- commands
_OPTION_TYPES = set(range(1, 12))
_VALUE_TYPES_WITH_CHOICES = {3, 4, 10}


def _check_name(
    errors: FormErrors, obj: dict[str, Any], path: tuple[Any, ...], *, chat_input: bool
) -> int:
    name = obj.get("name")
    if not isinstance(name, str) or name == "":
        _required(errors, (*path, "name"))
        return 0
    if chat_input:
        if not COMMAND_NAME_RE.match(name):
            errors.add(
                (*path, "name"),
                "APPLICATION_COMMAND_INVALID_NAME",
                "Command name is invalid",
            )
        elif name != name.lower():
            errors.add(
                (*path, "name"),
                "APPLICATION_COMMAND_NAME_LOWERCASE",
                "Command name must be lower case",
            )
    elif not 1 <= len(name) <= 32:
        errors.add((*path, "name"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 32 in length.")
    return len(name)


def _check_description(errors: FormErrors, obj: dict[str, Any], path: tuple[Any, ...]) -> int:
    desc = obj.get("description")
    if desc is None:
        _required(errors, (*path, "description"))
        return 0
    if not isinstance(desc, str):
        errors.add((*path, "description"), "BASE_TYPE_STRING", "Must be a string.")
        return 0
    if not 1 <= len(desc) <= COMMAND_DESCRIPTION_MAX:
        errors.add(
            (*path, "description"),
            "BASE_TYPE_BAD_LENGTH",
            f"Must be between 1 and {COMMAND_DESCRIPTION_MAX} in length.",
        )
    return len(desc)


def _check_options(options: Any, errors: FormErrors, path: tuple[Any, ...], *, depth: int) -> int:
    """depth 0: options of a command; 1: of a subcommand group; 2: of a subcommand."""
    if options is None:
        return 0
    if not isinstance(options, list):
        errors.add(path, "BASE_TYPE_ARRAY", "Must be an array.")
        return 0
    if len(options) > COMMAND_OPTIONS_MAX:
        errors.add(
            path, "BASE_TYPE_MAX_LENGTH", f"Must be {COMMAND_OPTIONS_MAX} or fewer in length."
        )
    chars = 0
    names: set[str] = set()
    kinds = set()
    seen_optional = False
    for i, opt in enumerate(options):
        p = (*path, i)
        if not isinstance(opt, dict):
            errors.add(p, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
            continue
        otype = opt.get("type")
        if otype not in _OPTION_TYPES:
            errors.add((*p, "type"), "BASE_TYPE_CHOICES", f"Value must be one of {_OPTION_TYPES}.")
            continue
        chars += _check_name(errors, opt, p, chat_input=True)
        chars += _check_description(errors, opt, p)
        name = opt.get("name")
        if name in names:
            errors.add(
                (*p, "name"),
                "APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS",
                "Option names must be unique",
            )
        names.add(name)
        is_sub = otype in (1, 2)
        kinds.add("sub" if is_sub else "value")
        if is_sub:
            if depth == 2 or (otype == 2 and depth == 1):
                errors.add(
                    (*p, "type"),
                    "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                    "Sub-command and sub-command group option types are mutually exclusive "
                    "to all other types",
                )
                continue
            if opt.get("required"):
                errors.add(
                    (*p, "required"),
                    "APPLICATION_COMMAND_SUBCOMMAND_REQUIRED",
                    "Subcommands and subcommand groups cannot be required",
                )
            sub_opts = opt.get("options")
            if otype == 2:
                if not sub_opts:
                    errors.add(
                        (*p, "options"),
                        "BASE_TYPE_BAD_LENGTH",
                        "Must be between 1 and 25 in length.",
                    )
                elif any(isinstance(o, dict) and o.get("type") != 1 for o in sub_opts):
                    errors.add(
                        (*p, "options"),
                        "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                        "Subcommand groups may only contain subcommands",
                    )
                chars += _check_options(sub_opts, errors, (*p, "options"), depth=1)
            else:
                chars += _check_options(sub_opts, errors, (*p, "options"), depth=2)
            continue
        required = bool(opt.get("required", False))
        if required and seen_optional:
            errors.add(
                (*p, "required"),
                "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                "Required options must be placed before non-required options",
            )
        if not required:
            seen_optional = True
        choices = opt.get("choices")
        if choices:
            if otype not in _VALUE_TYPES_WITH_CHOICES:
                errors.add(
                    (*p, "choices"),
                    "APPLICATION_COMMAND_OPTION_CHOICES_INVALID",
                    "Choices are only allowed for STRING, INTEGER and NUMBER options",
                )
            if opt.get("autocomplete"):
                errors.add(
                    (*p, "autocomplete"),
                    "APPLICATION_COMMAND_AUTOCOMPLETE_INVALID",
                    "Autocomplete cannot be set when choices are present",
                )
            if len(choices) > COMMAND_CHOICES_MAX:
                errors.add(
                    (*p, "choices"),
                    "BASE_TYPE_MAX_LENGTH",
                    f"Must be {COMMAND_CHOICES_MAX} or fewer in length.",
                )
            for k, choice in enumerate(choices):
                cp = (*p, "choices", k)
                if not isinstance(choice, dict):
                    continue
                chars += _check_str(
                    errors, choice, "name", cp, max_len=100, min_len=1, required=True
                )
                value = choice.get("value")
                if otype == 3:
                    if not isinstance(value, str):
                        errors.add((*cp, "value"), "BASE_TYPE_STRING", "Must be a string.")
                    else:
                        chars += _check_str(errors, choice, "value", cp, max_len=100, min_len=1)
                elif otype == 4 and (not isinstance(value, int) or isinstance(value, bool)):
                    errors.add((*cp, "value"), "NUMBER_TYPE_COERCE", "Value is not int.")
                elif otype == 10 and (
                    not isinstance(value, int | float) or isinstance(value, bool)
                ):
                    errors.add((*cp, "value"), "NUMBER_TYPE_COERCE", "Value is not a number.")
                else:
                    chars += len(str(value))
        if otype not in (4, 10) and ("min_value" in opt or "max_value" in opt):
            errors.add(
                (*p, "min_value"),
                "APPLICATION_COMMAND_OPTION_MIN_MAX_INVALID",
                "min_value/max_value are only allowed for INTEGER and NUMBER options",
            )
        if otype == 3:
            for key, lo, hi in (("min_length", 0, 6000), ("max_length", 1, 6000)):
                v = opt.get(key)
                if v is not None and (not isinstance(v, int) or not lo <= v <= hi):
                    errors.add((*p, key), "NUMBER_TYPE_MAX", f"int value should be <= {hi}.")
        if opt.get("channel_types") is not None and otype != 7:
            errors.add(
                (*p, "channel_types"),
                "APPLICATION_COMMAND_OPTION_CHANNEL_TYPES_INVALID",
                "channel_types is only allowed for CHANNEL options",
            )
        if opt.get("autocomplete") and otype not in _VALUE_TYPES_WITH_CHOICES:
            errors.add(
                (*p, "autocomplete"),
                "APPLICATION_COMMAND_AUTOCOMPLETE_INVALID",
                "Autocomplete is only allowed for STRING, INTEGER and NUMBER options",
            )
    if len(kinds) > 1:
        errors.add(
            path,
            "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
            "Sub-command and sub-command group option types are mutually exclusive to all "
            "other types",
        )
    return chars


def check_command(cmd: Any, errors: FormErrors, path: tuple[Any, ...]) -> None:
    if not isinstance(cmd, dict):
        errors.add(path, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        return
    ctype = cmd.get("type", 1)
    if ctype not in (1, 2, 3):
        errors.add((*path, "type"), "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3}.")
        return
    chars = _check_name(errors, cmd, path, chat_input=ctype == 1)
    if ctype == 1:
        chars += _check_description(errors, cmd, path)
        chars += _check_options(cmd.get("options"), errors, (*path, "options"), depth=0)
        if chars > COMMAND_TOTAL_CHARS_MAX:
            errors.add(
                path,
                "APPLICATION_COMMAND_TOO_LARGE",
                f"Command exceeds maximum size ({COMMAND_TOTAL_CHARS_MAX})",
            )
    else:
        if cmd.get("description"):
            errors.add(
                (*path, "description"),
                "APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION",
                "Context menu commands cannot have description",
            )
        if cmd.get("options"):
            errors.add(
                (*path, "options"),
                "APPLICATION_COMMAND_CONTEXT_MENU_OPTIONS",
                "Context menu commands cannot have options",
            )
    perms = cmd.get("default_member_permissions")
    if perms is not None:
        try:
            int(perms)
        except (TypeError, ValueError):
            errors.add(
                (*path, "default_member_permissions"),
                "NUMBER_TYPE_COERCE",
                "Value is not snowflake.",
            )
    contexts = cmd.get("contexts")
    if contexts is not None and (
        not isinstance(contexts, list) or any(c not in (0, 1, 2) for c in contexts)
    ):
        errors.add((*path, "contexts"), "BASE_TYPE_CHOICES", "Value must be one of {0, 1, 2}.")
    installs = cmd.get("integration_types")
    if installs is not None and (
        not isinstance(installs, list) or any(c not in (0, 1) for c in installs)
    ):
        errors.add(
            (*path, "integration_types"), "BASE_TYPE_CHOICES", "Value must be one of {0, 1}."
        )


def check_command_list(commands: Any, errors: FormErrors) -> None:
    """Bulk overwrite: each command, duplicates, and per-type count limits."""
    if not isinstance(commands, list):
        errors.add((), "BASE_TYPE_ARRAY", "Must be an array.")
        return
    seen: dict[tuple[int, str], int] = {}
    counts = {1: 0, 2: 0, 3: 0}
    for i, cmd in enumerate(commands):
        check_command(cmd, errors, (i,))
        if not isinstance(cmd, dict):
            continue
        ctype = cmd.get("type", 1)
        if ctype in counts:
            counts[ctype] += 1
        key = (ctype, str(cmd.get("name")))
        if key in seen:
            errors.add(
                (i, "name"),
                "APPLICATION_COMMANDS_DUPLICATE_NAME",
                f"Application command names must be unique ({key[1]})",
            )
        seen[key] = i
    if counts[1] > GLOBAL_CHAT_INPUT_MAX:
        errors.add(
            (),
            "BASE_TYPE_MAX_LENGTH",
            f"Must be {GLOBAL_CHAT_INPUT_MAX} or fewer in length.",
        )
    for ctype in (2, 3):
        if counts[ctype] > CONTEXT_MENU_MAX:
            errors.add(
                (),
                "APPLICATION_COMMANDS_CONTEXT_MENU_LIMIT",
                f"Maximum number of {CONTEXT_MENU_MAX} context menu commands of type {ctype}",
            )


# ----------------------------------------------------- interaction responses
# Which callback types Discord accepts for which interaction type.
CALLBACKS_FOR_INTERACTION = {
    2: {4, 5, 9},  # APPLICATION_COMMAND
    3: {4, 5, 6, 7, 9},  # MESSAGE_COMPONENT
    4: {8},  # APPLICATION_COMMAND_AUTOCOMPLETE
    5: {4, 5, 6, 7},  # MODAL_SUBMIT
}


def check_autocomplete_result(data: Any, errors: FormErrors, path: tuple[Any, ...]) -> None:
    if not isinstance(data, dict):
        _required(errors, path)
        return
    choices = data.get("choices")
    if not isinstance(choices, list):
        _required(errors, (*path, "choices"))
        return
    if len(choices) > AUTOCOMPLETE_CHOICES_MAX:
        _len_error(errors, (*path, "choices"), AUTOCOMPLETE_CHOICES_MAX)
    for i, choice in enumerate(choices):
        cp = (*path, "choices", i)
        if not isinstance(choice, dict):
            continue
        _check_str(errors, choice, "name", cp, max_len=100, min_len=1, required=True)
        if isinstance(choice.get("value"), str):
            _check_str(errors, choice, "value", cp, max_len=100)
        elif choice.get("value") is None:
            _required(errors, (*cp, "value"))


def check_modal(data: Any, errors: FormErrors, path: tuple[Any, ...]) -> None:
    if not isinstance(data, dict):
        _required(errors, path)
        return
    _check_str(errors, data, "custom_id", path, max_len=CUSTOM_ID_MAX, min_len=1, required=True)
    _check_str(errors, data, "title", path, max_len=MODAL_TITLE_MAX, min_len=1, required=True)
    comps = data.get("components")
    if not isinstance(comps, list) or not 1 <= len(comps) <= MODAL_COMPONENTS_MAX:
        errors.add(
            (*path, "components"),
            "BASE_TYPE_BAD_LENGTH",
            f"Must be between 1 and {MODAL_COMPONENTS_MAX} in length.",
        )
        return
    ids = _iter_custom_ids(comps)
    if len(ids) != len(set(ids)):
        errors.add(
            (*path, "components"),
            "COMPONENT_CUSTOM_ID_DUPLICATED",
            "Component custom id cannot be duplicated",
        )
    for cid_i, cid in enumerate(ids):
        if len(cid) > CUSTOM_ID_MAX:
            _len_error(errors, (*path, "components", cid_i, "custom_id"), CUSTOM_ID_MAX)
