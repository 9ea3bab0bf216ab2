#!/usr/bin/env bash
# Check scripts/swift: delegation to an installed swift, its refusals, and a
# SwiftPM package outside the repository that links a static C library built
# on the host with gcc and runs XCTest cases through the Debian 13 root.
#
# Usage (as root): tests/swift-toolchain/check.sh
# The first run builds the Swift root, which takes minutes. Later runs took
# 40 to 110 s on a shared 2-CPU machine, most of it compiling the package.
# Prints one line per check and ends with "N passed, N failed".

set -uo pipefail

repo=$(cd "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd -P)
wrapper=$repo/scripts/swift
passed=0
failed=0

pass() {
    passed=$((passed + 1))
    printf 'ok - %s\n' "$1"
}

fail() {
    failed=$((failed + 1))
    printf 'FAIL - %s: %s\n' "$1" "$2"
}

# Record a check whose command exited with $2 when $3 was expected.
expect_status() {
    local name=$1 actual=$2 expected=$3 output_file=$4
    if [[ $actual == "$expected" ]]; then
        pass "$name"
    else
        fail "$name" "exit status $actual, expected $expected; output: $(tail -n 5 -- "$output_file" | tr '\n' ' ')"
    fi
}

expect_no_output() {
    local name=$1 text=$2 output_file=$3
    if grep -qF -- "$text" "$output_file"; then
        fail "$name" "output contains '$text'"
    else
        pass "$name"
    fi
}

expect_output() {
    local name=$1 text=$2 output_file=$3
    if grep -qF -- "$text" "$output_file"; then
        pass "$name"
    else
        fail "$name" "output lacks '$text'; it ends with: $(tail -n 5 -- "$output_file" | tr '\n' ' ')"
    fi
}

# Print the mount points of this mount namespace at or below a directory.
mounts_below() {
    local dir=$1 target
    findmnt --raw --noheadings --output TARGET | while IFS= read -r target; do
        target=$(printf '%b' "$target")
        [[ $target == "$dir" || $target == "$dir"/* ]] && printf '%s\n' "$target"
    done
}

expect_no_mounts() {
    local name=$1 dir=$2 mounted
    mounted=$(mounts_below "$dir")
    if [[ -z $mounted ]]; then
        pass "$name"
    else
        fail "$name" "still mounted: ${mounted//$'\n'/, }"
    fi
}

if [[ $EUID -ne 0 ]]; then
    echo "check.sh: run as root, because scripts/swift needs root to build and enter the Swift root" >&2
    exit 2
fi
for tool in gcc ar findmnt setpriv; do
    if ! command -v "$tool" >/dev/null; then
        echo "check.sh: $tool is not installed" >&2
        exit 2
    fi
done

if [[ -n ${PNA_SWIFT_ROOT:-} ]]; then
    swift_root=$PNA_SWIFT_ROOT
elif [[ ${XDG_CACHE_HOME:-} == /* ]]; then
    swift_root=$XDG_CACHE_HOME/pubnub-actions/swift-root
else
    swift_root=$HOME/.cache/pubnub-actions/swift-root
fi

scratch=$(mktemp -d /tmp/pna-swift-check.XXXXXX)
trap 'rm -rf --one-file-system -- "$scratch"' EXIT
log=$scratch/output.log

# --- Delegation and refusals (fast, no Swift root needed) -------------------

mkdir -p "$scratch/fake-bin"
cat >"$scratch/fake-bin/swift" <<'EOF'
#!/bin/sh
echo "fake swift called with: $*"
EOF
chmod +x "$scratch/fake-bin/swift"

# The wrapper's own directory comes first on PATH, so the wrapper must skip
# itself and run the next swift.
PATH="$repo/scripts:$scratch/fake-bin:$PATH" swift --version extra >"$log" 2>&1
expect_status "installed swift exit status" $? 0 "$log"
expect_output "installed swift receives arguments" "fake swift called with: --version extra" "$log"

(cd / && setpriv --reuid=65534 --regid=65534 --clear-groups env PATH=/usr/bin:/bin "$wrapper" --version) >"$log" 2>&1
expect_status "non-root rejected" $? 125 "$log"
expect_output "non-root message names root" "needs root" "$log"

mkdir -p "$scratch/foreign"
echo "keep me" >"$scratch/foreign/file"
PNA_SWIFT_ROOT=$scratch/foreign "$wrapper" --version >"$log" 2>&1
expect_status "foreign root rejected" $? 125 "$log"
expect_output "foreign root message" "was not built by this script" "$log"
if [[ -f $scratch/foreign/file ]]; then
    pass "foreign root left intact"
else
    fail "foreign root left intact" "$scratch/foreign/file was deleted"
fi

PNA_SWIFT_ROOT=relative/root "$wrapper" --version >"$log" 2>&1
expect_status "relative root rejected" $? 125 "$log"

# --- A package outside the repository, through the Swift root ---------------

if installed=$(command -v swift) && ! head -c 512 -- "$installed" | grep -qaF 'pubnub-actions swift wrapper'; then
    echo "check.sh: $installed is on PATH, so scripts/swift runs it and the Swift root checks do not apply" >&2
    printf '%d passed, %d failed\n' "$passed" "$failed"
    ((failed == 0))
    exit
fi

package=$scratch/Adder
mkdir -p "$package/Sources/CAdder" "$package/Sources/Adder" "$package/Tests/AdderTests" "$package/csrc" "$package/lib"

cat >"$package/Sources/CAdder/adder.h" <<'EOF'
#ifndef ADDER_H
#define ADDER_H
#include <stdint.h>
int32_t adder_sum(int32_t a, int32_t b);
#endif
EOF
cat >"$package/Sources/CAdder/module.modulemap" <<'EOF'
module CAdder [system] {
    header "adder.h"
    link "adder"
    export *
}
EOF
cat >"$package/csrc/adder.c" <<'EOF'
#include "adder.h"
int32_t adder_sum(int32_t a, int32_t b) { return a + b; }
EOF
cat >"$package/Sources/Adder/Adder.swift" <<'EOF'
import CAdder

public func sum(_ a: Int32, _ b: Int32) -> Int32 {
    adder_sum(a, b)
}
EOF
cat >"$package/Tests/AdderTests/AdderTests.swift" <<'EOF'
import Foundation
import XCTest
@testable import Adder

final class AdderTests: XCTestCase {
    func testSumCallsC() {
        XCTAssertEqual(sum(2, 3), 5)
        XCTAssertEqual(sum(-7, 7), 0)
    }

    // Fails only when ADDER_FORCE_FAILURE is set, to check that the exit
    // status and the environment pass through the wrapper.
    func testForcedFailure() {
        if ProcessInfo.processInfo.environment["ADDER_FORCE_FAILURE"] != nil {
            XCTFail("failure forced by ADDER_FORCE_FAILURE")
        }
    }
}
EOF
cat >"$package/Package.swift" <<'EOF'
// swift-tools-version:5.9
import PackageDescription

let package = Package(
    name: "Adder",
    targets: [
        .systemLibrary(name: "CAdder"),
        .target(name: "Adder", dependencies: ["CAdder"]),
        .testTarget(name: "AdderTests", dependencies: ["Adder"]),
    ]
)
EOF

gcc -O2 -c -I "$package/Sources/CAdder" "$package/csrc/adder.c" -o "$package/lib/adder.o"
ar rcs "$package/lib/libadder.a" "$package/lib/adder.o"
link_flags=(-Xlinker -L"$package/lib")

cd "$package" || exit 2

SECONDS=0
"$wrapper" build --build-tests "${link_flags[@]}" >"$log" 2>&1
expect_status "package builds (${SECONDS} s)" $? 0 "$log"

SECONDS=0
"$wrapper" test "${link_flags[@]}" >"$log" 2>&1
expect_status "package tests pass (${SECONDS} s)" $? 0 "$log"
expect_output "XCTest ran both cases" "Executed 2 tests, with 0 failures" "$log"

ADDER_FORCE_FAILURE=1 "$wrapper" test "${link_flags[@]}" >"$log" 2>&1
expect_status "failing test exit status" $? 1 "$log"
expect_output "failing test reported" "Executed 2 tests, with 1 failure" "$log"
expect_no_mounts "no mounts after runs" "$swift_root"

# Overlapping runs: a release build in the background while other runs start
# and finish. Each run mounts only in its own mount namespace.
"$wrapper" build -c release "${link_flags[@]}" >"$scratch/background.log" 2>&1 &
background=$!
sleep 2
overlap_failures=0
for _ in 1 2 3; do
    "$wrapper" --version >"$log" 2>&1 || overlap_failures=$((overlap_failures + 1))
done
expect_no_mounts "host sees no mounts during a run" "$swift_root"
# The background wrapper's process lives in the run's own mount namespace.
if grep -qF " $swift_root/proc " "/proc/$background/mountinfo" 2>/dev/null; then
    pass "run mounts in its own namespace"
else
    fail "run mounts in its own namespace" "no $swift_root/proc in /proc/$background/mountinfo; did the release build finish within 2 s?"
fi
if ((overlap_failures == 0)); then
    pass "overlapping runs succeed"
else
    fail "overlapping runs succeed" "$overlap_failures of 3 runs failed"
fi
wait "$background"
expect_status "background release build" $? 0 "$scratch/background.log"
expect_no_mounts "no mounts after overlapping runs" "$swift_root"

# SIGINT to the whole process group, as a terminal sends on Ctrl-C. Job
# control puts the background job in its own process group and keeps SIGINT
# from being ignored in it.
rm -rf .build
set -m
"$wrapper" build "${link_flags[@]}" >"$log" 2>&1 &
interrupted=$!
set +m
sleep 5
kill -INT -- "-$interrupted"
wait "$interrupted"
expect_status "interrupted build exit status" $? 130 "$log"
expect_no_mounts "no mounts after interrupt" "$swift_root"
expect_no_output "interrupted run unmounts cleanly" "failed to unmount" "$log"

cd / || exit 2
printf '%d passed, %d failed\n' "$passed" "$failed"
((failed == 0))
