#!/usr/bin/env bash
# Coverage-guided fuzzing of every @FuzzTest (each module's src/test/java: io/tunecho/fuzz, and beside the
# package-private code they reach: ReassemblyFuzzTest, ApiBodyFuzzTest) with Jazzer, SECONDS each (default 20).
#
#   bench/fuzz.sh [SECONDS] [Class#method ...]
#
# No packet leaves the process: the targets feed bytes to the wire views, the answering pipeline on an
# EmbeddedChannel, and the config readers. A finding fails the run and is saved by Jazzer under the module's
# src/test/resources/<package>/<Class>Inputs/<method>/crash-*: fix the bug and commit the input, which every
# later `./mvnw verify` then replays as a regression test. The corpus grows in .cifuzz-corpus/ (not committed).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-20}
shift || true
if [[ ! $seconds =~ ^[0-9]+$ ]]; then
    echo "usage: bench/fuzz.sh [SECONDS] [Class#method ...]" >&2
    exit 2
fi

targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
    # Jazzer fuzzes one method per JVM, so each @FuzzTest is its own run
    while IFS= read -r line; do
        targets+=("$line")
    done < <(awk '/@FuzzTest/ { want = 1; next }
                  want && /void / { match($0, /void [A-Za-z0-9_]+/); m = substr($0, RSTART + 5, RLENGTH - 5);
                                    f = FILENAME; sub(/.*\//, "", f); sub(/\.java$/, "", f); print f "#" m; want = 0 }' \
                 $(grep -rl "@FuzzTest" */src/test/java))
fi

# the module whose tests hold a target's class
module_of() {
    local file
    file=$(grep -rl --include="${1%%#*}.java" "@FuzzTest" */src/test/java | head -1)
    echo "${file%%/*}"
}

mkdir -p target
failed=()
for target in "${targets[@]}"; do
    echo "== fuzzing $target for ${seconds}s"
    # the JVM's own limit is the fuzz time plus its start-up; timeout bounds a hang in the target
    if ! JAZZER_FUZZ=1 timeout $((seconds + 240)) ./mvnw -B -q -o test -pl "$(module_of "$target")" -am -Dtest="$target" \
            -Dsurefire.failIfNoSpecifiedTests=false -Djazzer.max_duration="${seconds}s" \
            > "target/fuzz-${target//#/-}.log" 2>&1; then
        failed+=("$target")
        echo "   FINDING or failure: see target/fuzz-${target//#/-}.log and the module's target/surefire-reports/" >&2
        grep -a -m 5 -E "FuzzTestFindingException|Caused by|AssertionError|Exception:" \
            "target/fuzz-${target//#/-}.log" >&2 || true
    else
        grep -a -h -o "Done [0-9]* runs.*" "target/fuzz-${target//#/-}.log" | tail -1 || true
    fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
    echo "fuzz: ${#failed[@]} of ${#targets[@]} targets failed: ${failed[*]}" >&2
    exit 1
fi
echo "fuzz: ${#targets[@]} targets, ${seconds}s each, no finding"
