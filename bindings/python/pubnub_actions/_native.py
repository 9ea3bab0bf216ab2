"""Loading of the pubnub-actions shared library and its C declarations.

Every function of ``include/pubnub_actions.h`` is declared here once, with
``argtypes`` and ``restype``, so that ctypes never guesses a type (its default
``int`` return type would truncate 64-bit pointers). Strings that the library
owns are declared ``c_void_p`` and copied with ``ctypes.string_at``.

ctypes releases the GIL for the duration of each call into the library, and
takes it again for each callback that the library makes from its own threads.
"""

from __future__ import annotations

import ctypes
import os
import sys
from ctypes import (
    CFUNCTYPE,
    POINTER,
    Structure,
    c_bool,
    c_char_p,
    c_size_t,
    c_uint32,
    c_uint64,
    c_void_p,
)
from pathlib import Path

# Environment variable naming a library file to load instead of the bundled one.
LIBRARY_ENVIRONMENT_VARIABLE = "PUBNUB_ACTIONS_LIBRARY"

# Codes of `enum pna_code` that the package refers to by name.
CODE_OK = 0
CODE_WORKER_COUNT_INVALID = 1092
CODE_QUEUE_CAPACITY_INVALID = 1093
CODE_TIMEOUT_INVALID = 1094
CODE_CLIENT_CLOSED = 2002
CODE_CANCELLED = 3000

# Log levels of `pna_log_callback_t`.
LOG_OFF = 0
LOG_ERROR = 1
LOG_WARN = 2
LOG_INFO = 3
LOG_DEBUG = 4
LOG_TRACE = 5


class Status(Structure):
    """``pna_status_t``: the outcome of a request."""

    _fields_ = [
        ("code", c_uint32),
        ("category", c_uint32),
        ("operation", c_uint32),
        ("http_status", c_uint32),
        ("error", c_bool),
        ("message", c_void_p),
        ("server_message", c_void_p),
        ("server_details", c_void_p),
        ("retry_after_seconds", c_uint32),
        ("origin", c_void_p),
        ("tls", c_bool),
        ("user_id", c_void_p),
        ("channel", c_void_p),
        ("request_id", c_uint64),
    ]


class Action(Structure):
    """``pna_action_t``: an action attached to a published message."""

    _fields_ = [
        ("type", c_void_p),
        ("type_len", c_size_t),
        ("value", c_void_p),
        ("value_len", c_size_t),
        ("user_id", c_void_p),
        ("user_id_len", c_size_t),
        ("action_timetoken", c_uint64),
        ("message_timetoken", c_uint64),
    ]


class ActionsPage(Structure):
    """``pna_actions_page_t``: one page of a channel's actions, oldest first."""

    _fields_ = [
        ("actions", POINTER(Action)),
        ("count", c_size_t),
        ("has_next", c_bool),
        ("next_start", c_uint64),
        ("next_end", c_uint64),
        ("next_limit", c_uint32),
    ]


class AddResult(Structure):
    """``pna_add_result_t``, freed with ``pna_add_result_free``."""

    _fields_ = [("status", Status), ("action", POINTER(Action))]


class GetResult(Structure):
    """``pna_get_result_t``, freed with ``pna_get_result_free``."""

    _fields_ = [("status", Status), ("page", POINTER(ActionsPage))]


class RemoveResult(Structure):
    """``pna_remove_result_t``, freed with ``pna_remove_result_free``."""

    _fields_ = [("status", Status)]


class PublishResult(Structure):
    """``pna_publish_result_t``, freed with ``pna_publish_result_free``."""

    _fields_ = [("status", Status), ("timetoken", c_uint64)]


class Config(Structure):
    """``pna_config_t``: settings read (and copied) by ``pna_client_new``."""

    _fields_ = [
        ("subscribe_key", c_char_p),
        ("publish_key", c_char_p),
        ("secret_key", c_char_p),
        ("auth_key", c_char_p),
        ("user_id", c_char_p),
        ("origin", c_char_p),
        ("tls", c_bool),
        ("ca_file", c_char_p),
        ("connect_timeout_ms", c_uint32),
        ("request_timeout_ms", c_uint32),
        ("worker_count", c_uint32),
        ("queue_capacity", c_uint32),
    ]


# Callback types. `user_data` arrives as an int (or None for NULL).
ADD_CALLBACK = CFUNCTYPE(None, c_void_p, POINTER(Status), POINTER(Action))
GET_CALLBACK = CFUNCTYPE(None, c_void_p, POINTER(Status), POINTER(ActionsPage))
REMOVE_CALLBACK = CFUNCTYPE(None, c_void_p, POINTER(Status))
LOG_CALLBACK = CFUNCTYPE(None, c_void_p, c_uint32, c_void_p, c_void_p)

# Opaque `pna_client_t *`.
ClientHandle = c_void_p

# (name, restype, argtypes) of every function in the header.
_SIGNATURES = [
    ("pna_config_init", None, [POINTER(Config)]),
    ("pna_client_new", c_uint32, [POINTER(Config), POINTER(ClientHandle)]),
    ("pna_client_free", None, [ClientHandle]),
    ("pna_cancel", c_uint32, [ClientHandle, c_uint64]),
    (
        "pna_add_message_action",
        c_uint32,
        [ClientHandle, c_char_p, c_uint64, c_char_p, c_char_p, ADD_CALLBACK, c_void_p, POINTER(c_uint64)],
    ),
    (
        "pna_add_message_action_sync",
        c_uint32,
        [ClientHandle, c_char_p, c_uint64, c_char_p, c_char_p, POINTER(POINTER(AddResult))],
    ),
    ("pna_add_result_free", None, [POINTER(AddResult)]),
    (
        "pna_get_message_actions",
        c_uint32,
        [ClientHandle, c_char_p, c_uint64, c_uint64, c_uint32, GET_CALLBACK, c_void_p, POINTER(c_uint64)],
    ),
    (
        "pna_get_message_actions_sync",
        c_uint32,
        [ClientHandle, c_char_p, c_uint64, c_uint64, c_uint32, POINTER(POINTER(GetResult))],
    ),
    ("pna_get_result_free", None, [POINTER(GetResult)]),
    (
        "pna_remove_message_action",
        c_uint32,
        [ClientHandle, c_char_p, c_uint64, c_uint64, REMOVE_CALLBACK, c_void_p, POINTER(c_uint64)],
    ),
    (
        "pna_remove_message_action_sync",
        c_uint32,
        [ClientHandle, c_char_p, c_uint64, c_uint64, POINTER(POINTER(RemoveResult))],
    ),
    ("pna_remove_result_free", None, [POINTER(RemoveResult)]),
    ("pna_publish_sync", c_uint32, [ClientHandle, c_char_p, c_char_p, POINTER(POINTER(PublishResult))]),
    ("pna_publish_result_free", None, [POINTER(PublishResult)]),
    ("pna_code_message", c_void_p, [c_uint32]),
    ("pna_category_name", c_void_p, [c_uint32]),
    ("pna_operation_name", c_void_p, [c_uint32]),
    ("pna_version", c_void_p, []),
    ("pna_set_log_callback", None, [LOG_CALLBACK, c_void_p, c_uint32]),
]

DECLARED_FUNCTIONS = frozenset(name for name, _, _ in _SIGNATURES)


def _library_names() -> list[str]:
    if sys.platform == "darwin":
        return ["_libpubnub_actions*.so", "_libpubnub_actions*.dylib"]
    if sys.platform == "win32":
        return ["_libpubnub_actions*.pyd", "_libpubnub_actions*.dll"]
    return ["_libpubnub_actions*.so"]


def find_library() -> Path:
    """Return the path of the shared library to load.

    The environment variable ``PUBNUB_ACTIONS_LIBRARY`` wins; otherwise the
    library that the package build copied next to this file is used.
    """
    override = os.environ.get(LIBRARY_ENVIRONMENT_VARIABLE)
    if override:
        return Path(override)
    package_directory = Path(__file__).resolve().parent
    for pattern in _library_names():
        matches = sorted(package_directory.glob(pattern))
        if matches:
            return matches[0]
    raise ImportError(
        f"the pubnub-actions shared library was not found in {package_directory}; "
        "install the package with `pip install ./bindings/python` (which builds it with cargo), "
        f"or set {LIBRARY_ENVIRONMENT_VARIABLE} to the path of libpubnub_actions"
    )


def _load(path: Path) -> ctypes.CDLL:
    try:
        library = ctypes.CDLL(str(path))
    except OSError as error:
        raise ImportError(f"the pubnub-actions shared library at {path} could not be loaded: {error}") from error
    for name, restype, argtypes in _SIGNATURES:
        try:
            function = getattr(library, name)
        except AttributeError as error:
            raise ImportError(
                f"the library at {path} has no function {name}; it does not match this package version"
            ) from error
        function.restype = restype
        function.argtypes = argtypes
    return library


LIBRARY_PATH = find_library()
lib = _load(LIBRARY_PATH)


def static_string(pointer: int | None) -> str:
    """Copy a NUL-terminated UTF-8 string that the library owns."""
    if not pointer:
        return ""
    return ctypes.string_at(pointer).decode("utf-8", "replace")


def optional_string(pointer: int | None) -> str | None:
    """Copy a NUL-terminated UTF-8 string, or return None for NULL."""
    if not pointer:
        return None
    return ctypes.string_at(pointer).decode("utf-8", "replace")


def sized_string(pointer: int | None, length: int) -> str:
    """Copy a string of ``length`` bytes, which may contain NUL characters."""
    if not pointer or length == 0:
        return ""
    return ctypes.string_at(pointer, length).decode("utf-8", "replace")


def code_message(code: int) -> str:
    """Return the library's English message for a ``pna_code_t``."""
    return static_string(lib.pna_code_message(code))


def category_name(category: int) -> str:
    """Return the Python SDK name of a status category number."""
    return static_string(lib.pna_category_name(category))


def operation_name(operation: int) -> str:
    """Return the Python SDK name of an operation number."""
    return static_string(lib.pna_operation_name(operation))


def version() -> str:
    """Return the version of the loaded library."""
    return static_string(lib.pna_version())
