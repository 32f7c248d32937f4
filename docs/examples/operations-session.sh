#!/bin/bash
# Runs the session of docs/operations.md on the current build and prints it as a transcript
# (commands after "$ ", then their output). Needs ipcarc-cli/target/ipcarc.jar and
# ipcarc-examples/target/ipcarc-examples.jar (mvn -q -DskipTests package), root for setpriv.
# Uses the names /orders, /origin, /ticks, /half, /kept and /dev/shm/other-app-buffer: run it where
# they are free. Usage: docs/examples/operations-session.sh > /tmp/session.txt
set -u
cd "$(dirname "$0")/../.."
CLI=ipcarc-cli/target/ipcarc.jar
EX=ipcarc-examples/target/ipcarc-examples.jar
OUT=$(mktemp -d /tmp/ipcarc-ops-XXXXXX)
ipcarc() { java -jar "$CLI" "$@"; }

# show CMD...: prints the command and runs it, with its exit code if not 0
show() {
  echo "\$ $*"
  eval "$@" 2>&1
  local rc=$?
  [ $rc -ne 0 ] && echo "[exit $rc]"
  echo
}

# bg LOGNAME WAIT_FOR CMD...: starts CMD in the background, waits for a line starting with
# WAIT_FOR in its output, prints the command and its output so far; $! of it in PIDS[LOGNAME]
declare -A PIDS
bg() {
  local log=$1 want=$2
  shift 2
  echo "\$ $* &"
  eval "exec $*" > "$OUT/$log.log" 2>&1 &   # exec: $! is the command's own pid
  PIDS[$log]=$!
  for _ in $(seq 1 600); do
    grep -q "^$want" "$OUT/$log.log" && break
    sleep 0.1
  done
  cat "$OUT/$log.log"
  echo
}

bg orders-create "create /orders" java -cp $CLI docs/examples/Segments.java create /orders 41
bg orders-load "load /orders" java -cp $CLI docs/examples/Segments.java load /orders
bg origin "point /origin" java -cp $CLI docs/examples/Segments.java point /origin 1 2.5
bg writer "writer: created" java -jar $EX writer --name /ticks --count 1000000000 --rate 200 --capacity 1024
bg reporter "reporter 0: ring" java -jar $EX reporter 0 --name /ticks --out $OUT
sleep 3
echo "### Listing"
show ipcarc ls --prefix /o
show ipcarc ls --prefix /t
echo "### Inspecting"
show ipcarc inspect /origin
show ipcarc inspect ticks
echo "### Dies holding the lock"
bg hold "hold /orders" java -cp $CLI docs/examples/Segments.java hold /orders
show ipcarc ls --prefix /orders
show kill -9 ${PIDS[hold]}
sleep 0.5
show ipcarc inspect /orders
show ipcarc inspect /orders --json
echo "### Orphans"
show kill -9 ${PIDS[origin]}
sleep 0.5
show ipcarc gc
show ipcarc gc --remove
bg half "STALLING_BEFORE_READY" java -Dio.ipcarc.debug.stallBeforeReadyMillis=600000 -cp $CLI docs/examples/Segments.java create /half 5
show ipcarc ls --prefix /half
show ipcarc gc --prefix /half
show kill -9 ${PIDS[half]}
sleep 0.5
show ipcarc gc
show ipcarc gc --remove
echo "### In use"
show ipcarc rm /orders
echo "### Foreign"
show "echo 'not an ipcarc segment' > /dev/shm/other-app-buffer"
show ipcarc ls --all --prefix /other
show ipcarc rm --force other-app-buffer
show ipcarc inspect other-app-buffer
rm -f /dev/shm/other-app-buffer
echo "### Errors"
show ipcarc inspect /nope
show ipcarc rm
show setpriv --reuid=65534 --regid=65534 --clear-groups java -jar $CLI inspect /orders
echo "### Cleaning up"
echo "\$ kill -TERM <writer> <reporter>; kill -9 <both /orders holders>"
kill -TERM ${PIDS[writer]} ${PIDS[reporter]}
kill -9 ${PIDS[orders-create]} ${PIDS[orders-load]}
wait ${PIDS[writer]} ${PIDS[reporter]} 2>/dev/null
sleep 0.5
echo
show ipcarc gc
show ipcarc gc --remove
show ipcarc ls --prefix /ticks
show ipcarc ls --prefix /orders
echo "### Kept for its readers"
show java -jar $EX writer --name /kept --count 5000 --rate 0 --lossless --readers 0 --capacity 8192
show ipcarc ls --prefix /kept
show ipcarc inspect /kept
show ipcarc gc --prefix /kept
show ipcarc gc --remove --prefix /kept
bg kept-reporter "reporter 0: ring" java -jar $EX reporter 0 --name /kept --out $OUT/kept
for _ in $(seq 1 100); do
  ipcarc inspect /kept 2>/dev/null | grep -q "position=5000 " && break
  sleep 0.3
done
echo "\$ kill -TERM <reporter>"
kill -TERM ${PIDS[kept-reporter]}
wait ${PIDS[kept-reporter]} 2>/dev/null
grep "stopped at" "$OUT/kept-reporter.log"
echo
show ipcarc ls --prefix /kept
show java -jar $EX verify --complete 5000 $OUT/kept/output_0.csv
show java -jar $EX writer --name /kept --count 100 --rate 0 --lossless --readers 0 --capacity 8192
show ipcarc rm /kept
show ipcarc ls --prefix /kept
echo "### writer and reporter logs"
cat "$OUT/writer.log" "$OUT/reporter.log"
rm -rf "$OUT"
