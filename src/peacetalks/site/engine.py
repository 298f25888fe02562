"""The chart engine (vl-convert) in a process of its own, run as a script by `charts.Engine`.

Why a process: vl-convert's V8 aborts the whole process, with no exception to catch, when it cannot reserve
memory ("Fatal process out of memory: Failed to reserve virtual memory for CodeRange", SIGTRAP). Under a data
limit (`ulimit -d`) it did so in the middle of a site's build at limits a probe with a tiny chart passed (900,000
and 1,400,000 kB, measured on the package of 0.3.1): what V8 reserves depends on what the process holds. Alone in
a child, an abort ends only the child; the build sees the child end and says so in one line, cleaning up.

Protocol, on standard input and output: each request is a 4-byte big-endian length and the Vega-Lite spec as
JSON; each answer, in order, is one status byte (`s` the SVG, `e` an error message, `m` out of memory), a
4-byte length and the text. The process ends when its input ends (the build is over, or its process died).

It imports nothing of the toolkit: run by path, its folder is first on sys.path, and it needs only vl-convert.
"""

import json
import signal
import struct
import sys


def serve(requests, answers) -> None:
    import vl_convert

    while True:
        head = requests.read(4)
        if len(head) < 4:
            return
        spec = json.loads(requests.read(struct.unpack(">I", head)[0]))
        try:
            # allowed_base_urls=[]: the chart engine loads no data from any address (it would, by default, from any).
            status, text = b"s", vl_convert.vegalite_to_svg(spec, allowed_base_urls=[])
        except MemoryError:
            status, text = b"m", "out of memory"
        except Exception as exc:  # a spec vl-convert refuses: the build raises it as a ValueError
            status, text = b"e", f"{type(exc).__name__}: {exc}"
        body = text.encode("utf-8")
        answers.write(status + struct.pack(">I", len(body)) + body)
        answers.flush()


if __name__ == "__main__":
    # Ctrl-C reaches the whole process group: the build stops this process itself, after saying why.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    serve(sys.stdin.buffer, sys.stdout.buffer)
