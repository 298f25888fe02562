"""Nothing leaves the machine (issue 16, finding S1 of the 2026-12 adversarial report).

Three local servers, bound to 127.0.0.1 on a free port and stopped by each test: one that records every
request, a tarpit that accepts and never answers, and one that drips a byte a second. A package that names
any of them (a `profile`, a `$schema`) gets a located problem, and no server ever sees a connection.
"""

from __future__ import annotations

import http.server
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from peacetalks.validation.netguard import NetworkRefused, no_network

BOUND = 60  # seconds: a bound on a hang, never a speed test


class Recorder:
    """A server on 127.0.0.1 that logs every connection it accepts; `kind` decides what it answers."""

    def __init__(self, kind: str):
        self.kind, self.connections, self.requests = kind, 0, []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def url(self, path: str = "/profile.json") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _serve(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                continue
            self.connections += 1
            conn.settimeout(1)
            try:
                self.requests.append(conn.recv(4096).decode("latin-1").split("\r\n")[0])
                if self.kind == "answer":
                    body = b'{"required": ["CANARY-FROM-SERVER"]}'
                    conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                                 + str(len(body)).encode() + b"\r\n\r\n" + body)
                elif self.kind == "drip":
                    conn.sendall(b"HTTP/1.0 200 OK\r\n")
                    while not self.stopping.wait(1):
                        conn.sendall(b" ")
                # a tarpit says nothing until it is stopped
                self.stopping.wait(BOUND if self.kind == "tarpit" else 0)
            except OSError:
                pass
            finally:
                conn.close()

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(5)
        self.listener.close()


@pytest.fixture(params=["answer", "tarpit", "drip"])
def server(request):
    recorder = Recorder(request.param)
    yield recorder
    recorder.stop()


def cli(*args):
    return subprocess.run([sys.executable, "-m", "peacetalks", *args], capture_output=True, text=True, timeout=BOUND)


PROFILE_REFUSED = ("datapackage.json {where}profile '{url}' is not a profile name ({names}) or an official address "
                   "(https://datapackage.org/profiles/2.0/…); peacetalks fetches nothing and checks against the "
                   "profiles it carries: remove it or write the official one")
SCHEMA_REFUSED = ("{file} {where}$schema '{url}' is not an official address (https://datapackage.org/profiles/2.0/…); "
                  "peacetalks fetches nothing and checks against the profiles it carries: remove it or write the official one")


def test_a_package_profile_address_is_refused_and_never_fetched(pkg, server):
    pkg.edit_json("datapackage.json", lambda d: d.update(profile=server.url()))
    started = time.monotonic()
    assert pkg.problems() == [PROFILE_REFUSED.format(where="", url=server.url(),
                                                     names="data-package, tabular-data-package")]
    assert time.monotonic() - started < BOUND / 2
    assert server.connections == 0 and server.requests == []


def test_a_resource_profile_address_is_refused_and_never_fetched(pkg, server):
    def change(d):
        d["resources"][0]["profile"] = server.url()
    pkg.edit_json("datapackage.json", change)
    name = __import__("json").loads(pkg.descriptor.read_text())["resources"][0]["name"]
    assert pkg.problems() == [PROFILE_REFUSED.format(where=f"resource '{name}': ", url=server.url(),
                                                     names="data-resource, tabular-data-resource")]
    assert server.connections == 0


def test_a_profiles_list_is_refused_too(pkg, server):
    pkg.edit_json("datapackage.json", lambda d: d.update(profiles=[server.url()]))
    assert pkg.problems() == [PROFILE_REFUSED.format(where="", url=server.url(),
                                                     names="data-package, tabular-data-package").replace("json profile '", "json profiles '")]
    assert server.connections == 0


@pytest.mark.parametrize("server", ["answer"], indirect=True)
def test_a_schema_address_that_is_not_official_is_refused(pkg, server):
    pkg.edit_json("datapackage.json", lambda d: d.update({"$schema": server.url()}))
    pkg.edit_json("schemas/actors.json", lambda d: d.update({"$schema": server.url("/ts.json")}))
    assert pkg.problems() == [SCHEMA_REFUSED.format(file="datapackage.json", where="", url=server.url()),
                              SCHEMA_REFUSED.format(file="schemas/actors.json", where="", url=server.url("/ts.json"))]
    assert server.connections == 0


def test_every_command_that_reads_the_package_connects_nowhere(pkg, server, tmp_path):
    pkg.edit_json("datapackage.json", lambda d: d.update(profile=server.url()))
    for args in (["validate"], ["export", "--format", "json", "--out", str(tmp_path / "x")], ["positions"],
                 ["stats"], ["diff", str(pkg.descriptor)]):
        done = cli(*args, str(pkg.descriptor))
        assert "Traceback" not in done.stderr, args
        assert server.connections == 0, args


# -- the second defence: the guard itself ------------------------------------------------------------------

def test_the_guard_refuses_any_connection_and_the_server_sees_none(server):
    with no_network(), pytest.raises(NetworkRefused, match=rf"a network connection to 127\.0\.0\.1:{server.port} was refused"):
        urllib.request.urlopen(server.url(), timeout=BOUND)
    assert server.connections == 0


def test_the_guard_refuses_name_lookups():
    with no_network(), pytest.raises(NetworkRefused, match="a network connection to example.org:80 was refused"):
        socket.getaddrinfo("example.org", 80)


def test_the_guard_ends_with_its_block(server):
    with no_network():
        pass
    with socket.create_connection(("127.0.0.1", server.port), timeout=5):
        pass
    deadline = time.monotonic() + 5
    while server.connections == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.connections == 1


def test_a_library_that_fetches_despite_the_first_defence_is_stopped_with_a_located_problem(pkg, server, monkeypatch):
    """If the descriptor check let an address through, frictionless would fetch it: the guard turns that into
    a located problem of the profile check, and the server sees nothing."""
    from peacetalks.validation import descriptor

    monkeypatch.setattr(descriptor, "_without_addresses", lambda d: (d, []))
    pkg.edit_json("datapackage.json", lambda d: d.update(profile=server.url()))
    problems = [p for p in pkg.problems() if "network connection" in p]
    assert len(problems) == 1 and problems[0].startswith("datapackage.json not a valid Data Package: ")
    assert f"a network connection to 127.0.0.1:{server.port} was refused" in problems[0]
    assert server.connections == 0


OFFICIAL = "https://datapackage.org/profiles/{}/{}.json"


@pytest.mark.parametrize("where, key, version, profile", [
    ("package", "profile", "1.0", "datapackage"), ("package", "profile", "2.0", "datapackage"),
    ("package", "$schema", "1.0", "datapackage"), ("resource", "profile", "1.0", "dataresource"),
    ("resource", "$schema", "2.0", "dataresource"), ("schema", "profile", "1.0", "tableschema"),
    ("schema", "$schema", "1.0", "tableschema"), ("dialect", "$schema", "2.0", "tabledialect")])
def test_an_official_profile_address_validates_without_a_connection(pkg, where, key, version, profile):
    """Hostile re-test of 2026-12-05: a v1 package names its profile by the official address under
    `profile`; frictionless fetched it (the guard refused the connection, so a valid package could not
    validate). It is checked against the profile peacetalks carries, with no problem and no connection."""
    url = OFFICIAL.format(version, profile)

    def name(descriptor):
        resource = descriptor["resources"][0]
        target = {"package": descriptor, "resource": resource}.get(where)
        if where == "dialect":
            target = resource.setdefault("dialect", {})
        target[key] = url
    if where == "schema":
        pkg.edit_json("schemas/actors.json", lambda schema: schema.__setitem__(key, url))
    else:
        pkg.edit_json("datapackage.json", name)
    assert pkg.problems() == []
