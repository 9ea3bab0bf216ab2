"""The package against the library and its header: version, declarations,
struct layouts, and the SDK's category and operation numbers."""

from __future__ import annotations

import ctypes
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import pubnub_actions
from conftest import REPOSITORY
from pubnub_actions import PNOperationType, PNStatusCategory, _native

HEADER = REPOSITORY / "include" / "pubnub_actions.h"

# ctypes structure for each C struct of the header.
STRUCTS = {
    "pna_status_t": _native.Status,
    "pna_action_t": _native.Action,
    "pna_actions_page_t": _native.ActionsPage,
    "pna_add_result_t": _native.AddResult,
    "pna_get_result_t": _native.GetResult,
    "pna_remove_result_t": _native.RemoveResult,
    "pna_publish_result_t": _native.PublishResult,
    "pna_config_t": _native.Config,
}


def test_library_version_matches_package():
    assert pubnub_actions.native_version() == pubnub_actions.__version__


def test_package_ships_library_and_type_marker():
    package = Path(pubnub_actions.__file__).parent

    assert (package / "py.typed").is_file()
    assert _native.LIBRARY_PATH.parent == package


def test_every_header_function_declared():
    declared_in_header = set(re.findall(r"^\w[\w ]*?\*?\s*\b(pna_\w+)\(", HEADER.read_text(), re.MULTILINE))

    assert declared_in_header == set(_native.DECLARED_FUNCTIONS)
    for name in declared_in_header:
        function = getattr(_native.lib, name)
        assert function.argtypes is not None, name


@pytest.mark.skipif(shutil.which("cc") is None, reason="needs a C compiler to read the header's layouts")
def test_struct_layouts_match_header(tmp_path):
    lines = ['#include <stddef.h>', '#include <stdio.h>', '#include "pubnub_actions.h"', "int main(void) {"]
    for c_name, structure in STRUCTS.items():
        lines.append(f'printf("{c_name} size %zu\\n", sizeof(struct {c_name}));')
        for field, _ in structure._fields_:
            lines.append(f'printf("{c_name}.{field} %zu\\n", offsetof(struct {c_name}, {field}));')
    lines += ["return 0;", "}"]
    source = tmp_path / "layout.c"
    source.write_text("\n".join(lines))
    program = tmp_path / "layout"
    subprocess.run(["cc", "-std=c11", f"-I{HEADER.parent}", str(source), "-o", str(program)], check=True)

    printed = subprocess.run([str(program)], check=True, capture_output=True, text=True).stdout.splitlines()

    expected = []
    for c_name, structure in STRUCTS.items():
        expected.append(f"{c_name} size {ctypes.sizeof(structure)}")
        for field, _ in structure._fields_:
            expected.append(f"{c_name}.{field} {getattr(structure, field).offset}")
    assert printed == expected


def test_category_numbers_match_library():
    for category in PNStatusCategory:
        assert _native.category_name(category.value) == category.name
    assert _native.category_name(21) == "unknown category"
    assert PNStatusCategory.from_number(21) is PNStatusCategory.PNUnknownCategory


def test_operation_numbers_match_sdk_and_library():
    assert PNOperationType.PNAddMessageAction == 42
    assert PNOperationType.PNGetMessageActions == 43
    assert PNOperationType.PNDeleteMessageAction == 44
    assert PNOperationType.PNPublishOperation == 3
    for operation in PNOperationType:
        assert _native.operation_name(operation.value) == operation.name


def test_code_messages_come_from_library():
    assert _native.code_message(1011) == "invalid argument: channel is empty"
    assert _native.code_message(1) == "unknown code"


def test_quickstart_runs(emulator, tmp_path):
    from conftest import run_python

    completed = run_python(REPOSITORY / "examples" / "python" / "quickstart.py", emulator.origin)

    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert len(lines) == 4
    assert lines[0].startswith("published a message at timetoken ")
    message_timetoken = lines[0].rsplit(" ", 1)[1]
    assert re.fullmatch(r"added reaction=smiley_face by quickstart-user at action timetoken \d{17}", lines[1])
    assert lines[2] == f"listed reaction=smiley_face on message {message_timetoken}"
    assert lines[3] == "removed the action"


def test_quickstart_requires_origin():
    from conftest import run_python
    import os

    environment = {key: value for key, value in os.environ.items() if key != "PNA_EMULATOR_ORIGIN"}
    completed = run_python(REPOSITORY / "examples" / "python" / "quickstart.py", env=environment)

    assert completed.returncode == 2
    assert completed.stderr == "usage: quickstart.py HOST:PORT (or set PNA_EMULATOR_ORIGIN)\n"
