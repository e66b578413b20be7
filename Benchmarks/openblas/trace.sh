#!/usr/bin/env bash
# Prints a backtrace for every malloc/calloc inside a threaded and a single-threaded
# cblas_sgemm (gdb, Debian's libopenblas0-pthread). Output: one malloc of 524,288 bytes in
# sgemm_thread_nn for the 2-thread call, none for the 1-thread call.
set -euo pipefail
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
here="$(cd "$(dirname "$0")" && pwd)"
gcc -O1 -g "$here/trace.c" -o "$work/trace" -I/usr/include/x86_64-linux-gnu/openblas-pthread -lopenblas
line=$(grep -n 'first breakpoint' "$here/trace.c" | cut -d: -f1)
cat > "$work/trace.gdb" <<GDB
set pagination off
break trace.c:$line
run
delete
break malloc
commands
bt 8
cont
end
break calloc
commands
bt 8
cont
end
cont
GDB
gdb -q -batch -x "$work/trace.gdb" "$work/trace" 2>&1 | grep -vE 'New Thread|exited|libthread_db|No such file'
