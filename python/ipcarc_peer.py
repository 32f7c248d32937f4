"""A Python process reading an IpcArc<Triple> lock-free while a JVM rewrites it: the conformance
peer of PythonReaderConformanceTest (ipcarc-posix), standard library only.

    python3 ipcarc_peer.py read-triple NAME MIN_READS MIN_CHANGES MILLIS
    python3 ipcarc_peer.py race PREFIX

reads at least MIN_READS times and until it saw MIN_CHANGES different values, but never past
MILLIS, and checks every snapshot against the writer's invariant b == 2a and c == a + b. Prints
OPENED, up to 5 BROKEN lines, then DONE reads=R broken=B changes=C retries=T mode=M (T: read
attempts discarded because a write was under way). Exit 1 on an IpcArc error, 2 on bad usage.

race: for each line "GO r" on stdin, opens PREFIX-r (an IpcArc<Triple> whose creator wrote a, 2a, 3a
with a = r + 1, and closes it while this process reads), reads until the segment is gone and prints
READING r go after the first read, then GONE r reads=R bad=B (B: values its creator never wrote).
"""
import sys
import time

from ipcarc import IpcArcError, Segment, SegmentGoneError

TRIPLE = "io.ipcarc.testing.Records$Triple{a:i64,b:i64,c:i64}"


def read_triple(name, min_reads, min_changes, millis):
    deadline = time.monotonic() + millis / 1000.0
    reads = broken = changes = 0
    last = None
    with Segment.open(name, expected=TRIPLE) as seg:
        mode = "crash-atomic" if seg.crash_atomic else "raw"
        print("OPENED mode=%s" % mode, flush=True)
        while (reads < min_reads or changes < min_changes) and time.monotonic() < deadline:
            t = seg.read()
            reads += 1
            if t["b"] != 2 * t["a"] or t["c"] != t["a"] + t["b"]:
                broken += 1
                if broken <= 5:
                    print("BROKEN %r" % (t,), flush=True)
            if t["a"] != last:
                changes += 1
                last = t["a"]
        retries = seg.retries
    print("DONE reads=%d broken=%d changes=%d retries=%d mode=%s" % (reads, broken, changes, retries, mode), flush=True)


def race(prefix):
    for line in sys.stdin:
        if not line.startswith("GO "):
            continue
        r = int(line.split()[1])
        reads = bad = 0
        try:
            seg = Segment.open("%s-%d" % (prefix, r), expected=TRIPLE)
        except IpcArcError:
            print("GONE %d reads=0 bad=0 open=failed" % r, flush=True)
            continue
        with seg:
            while True:
                try:
                    t = seg.read()
                except SegmentGoneError:
                    break
                reads += 1
                if (t["a"], t["b"], t["c"]) != (r + 1, 2 * (r + 1), 3 * (r + 1)):
                    bad += 1
                    if bad <= 5:
                        print("BAD %d %r" % (r, t), file=sys.stderr, flush=True)
                if reads == 1:
                    print("READING %d go" % r, flush=True)
        print("GONE %d reads=%d bad=%d" % (r, reads, bad), flush=True)


def main(argv):
    if len(argv) == 3 and argv[1] == "race":
        try:
            race(argv[2])
        except IpcArcError as e:
            print("ipcarc_peer.py: %s" % e, file=sys.stderr)
            return 1
        return 0
    if len(argv) != 6 or argv[1] != "read-triple" or not all(a.isdigit() for a in argv[3:]):
        print("ipcarc_peer.py: bad usage (usage: ipcarc_peer.py read-triple NAME MIN_READS MIN_CHANGES MILLIS)",
              file=sys.stderr)
        return 2
    try:
        read_triple(argv[2], int(argv[3]), int(argv[4]), int(argv[5]))
    except IpcArcError as e:
        print("ipcarc_peer.py: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
