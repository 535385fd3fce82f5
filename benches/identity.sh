#!/usr/bin/env bash
# Checks that `cards --json`, `cards --due --json` and `stats --json` print, byte for
# byte, the same on the benchmark's collections with two builds (issue #20: the storage
# may change how progress is kept, never what is reported).
# Usage: benches/identity.sh OLD_BIN NEW_BIN WORK [SIZE...]
#   e.g. benches/identity.sh /tmp/pd-base/target/profiling/prepdeck \
#        target/profiling/prepdeck /tmp/pd-work 1000 20000 100000
# WORK holds collection-SIZE as benches/bench.py generates it. Each build runs on a copy
# of its own (the snapshot hard-linked, the log copied, decks/ a symbolic link). Each
# copy is then reviewed and left with `q`, compared again, then reviewed with 20 answers
# (the same input to both builds, at the same PREPDECK_NOW), and compared again: whatever
# a build writes (or, since #20, does not write) at the end of a session is read back by
# that build.
set -euo pipefail
old=$1 new=$2 work=$3
shift 3
sizes=("${@:-1000 20000 100000}")
export TZ=UTC PREPDECK_NOW=2026-11-22T09:00:00+00:00 NO_COLOR=1
status=0
copy() { # SRC DST
    rm -rf "$2"
    mkdir -p "$2"
    ln -s "$(cd "$1/decks" && pwd)" "$2/decks"
    cp "$1/deck-index.json" "$2/" 2>/dev/null || true
    cp "$1/reviews.jsonl" "$2/"
    ln "$1/state.json" "$2/state.json"
}
for size in ${sizes[@]}; do
    src="$work/collection-$size"
    for build in old new; do copy "$src" "$work/identity-$build"; done
    for round in "as generated" "after review, q" "after 20 answers"; do
        for args in "cards --json" "cards --due --json" "stats --json"; do
            "$old" --data-dir "$work/identity-old" $args >"$work/identity-old.out"
            "$new" --data-dir "$work/identity-new" $args >"$work/identity-new.out"
            if cmp -s "$work/identity-old.out" "$work/identity-new.out"; then
                printf '%7s cards, %-17s %-20s identical (%s bytes, sha256 %s)\n' "$size" "$round:" "$args" \
                    "$(stat -c %s "$work/identity-new.out")" "$(sha256sum <"$work/identity-new.out" | cut -c1-16)"
            else
                printf '%7s cards, %-17s %-20s DIFFERENT\n' "$size" "$round:" "$args"
                status=1
            fi
        done
        input="q"
        [ "$round" = "after review, q" ] && input="$(printf '\n4\n%.0s' $(seq 20))q"
        for build in old new; do
            bin=$old; [ $build = new ] && bin=$new
            printf '%s\n' "$input" | "$bin" --data-dir "$work/identity-$build" review >/dev/null
        done
    done
done
rm -rf "$work/identity-old" "$work/identity-new" "$work/identity-old.out" "$work/identity-new.out"
exit $status
