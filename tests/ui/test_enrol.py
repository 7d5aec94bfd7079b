#!/usr/bin/python3
"""A new workstation joins a clinic that already syncs, as its doctor would do it at first
start: the real rxdesk-server runs on 127.0.0.1 over HTTPS with an organisation that a demo
clinic has brought its records to; rxdesk starts with no clinic, "Enrol with a Server…"
takes the server's address, its certificate fingerprint, a fresh enrolment code and the
doctor's account, and the app opens the new clinic file with the clinic's patients in it,
logged in. A wrong fingerprint is refused first, with nothing opened.

Usage: test_enrol.py RXDESK RXDESK_CLI RXDESK_SERVER
Run it through run-a11y-test.sh, which provides the accessibility bus."""

import json
import os
import shutil
import subprocess
import sys
import tempfile

if not os.environ.get("DISPLAY"):
    print("No DISPLAY: skipping")
    sys.exit(77)

from test_home import (  # noqa: E402
    TIMEOUT, find_entry, labels_containing, press, wait_for)
from test_reception import find_button_starting  # noqa: E402
from dogtail import rawinput, tree  # noqa: E402

DOCTOR = "kmensah"
PASSWORD = "Enrol-test-pass-2026!"


def run(args, stdin=None):
    done = subprocess.run(args, input=stdin, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise AssertionError("%s failed: %s" % (" ".join(args[:4]), done.stderr))
    return done.stdout


def start_server(server, data, log):
    proc = subprocess.Popen([server, "--listen", "127.0.0.1:0", "--data-dir", data],
                            stdout=subprocess.PIPE, stderr=open(log, "w"), text=True)
    for line in proc.stdout:
        if "listening on " in line:
            url = line.split("listening on ", 1)[1].strip()
            # The rest of its output is not read; close the pipe so it never blocks.
            proc.stdout.close()
            return proc, url
    raise AssertionError("rxdesk-server did not start: " + open(log).read())


def fill(window, rows):
    """Types each row's text and Enter, which moves on to the next row to fill."""
    for name, text in rows:
        wait_for("the %s row" % name, lambda: find_entry(window, name))
        rawinput.typeText(text)
        rawinput.pressKey("Return")


def main():
    rxdesk, cli, server = sys.argv[1:4]
    workdir = tempfile.mkdtemp(prefix="rxdesk-enrol-")
    data = os.path.join(workdir, "server")
    env = dict(os.environ)
    env["SECRET_BACKEND"] = "file"
    env["SECRET_FILE_TEST_PATH"] = os.path.join(workdir, "keyring.db")
    env.setdefault("SECRET_FILE_TEST_PASSWORD", "test")
    env["XDG_DATA_HOME"] = os.path.join(workdir, "data")
    env["XDG_CONFIG_HOME"] = os.path.join(workdir, "config")
    env["XDG_STATE_HOME"] = os.path.join(workdir, "state")
    os.environ.update({k: env[k] for k in ("SECRET_BACKEND", "SECRET_FILE_TEST_PATH",
                                           "SECRET_FILE_TEST_PASSWORD")})
    srv, url = start_server(server, data, os.path.join(workdir, "server.log"))
    app_proc = None
    try:
        fingerprint = run([server, "--data-dir", data, "fingerprint"]).strip()
        org = json.loads(run([server, "--data-dir", data, "org", "create", "Riverside",
                              "--json"]))
        # The clinic that syncs already: a demo whose records go to the server.
        first = os.path.join(workdir, "riverside.db")
        run([cli, "--db", first, "init", "--clinic", "Riverside", "--demo",
             "--demo-password-stdin"], PASSWORD + "\n")
        run([cli, "--db", first, "sync", "enrol", "--server", url, "--code", org["code"],
             "--pin", fingerprint, "--as", "ayusuf", "--password-stdin"], PASSWORD + "\n")
        run([cli, "--db", first, "sync", "now"])
        code = json.loads(run([server, "--data-dir", data, "org", "code", org["org"],
                               "--json"]))["code"]
        print("ok - a server with a clinic that syncs")

        app_proc = subprocess.Popen([rxdesk], env=env)
        app = wait_for("rxdesk on the accessibility bus", lambda: [
            a for a in tree.root.applications()
            if a.name in ("rxdesk", "RxDesk") and a.get_process_id() == app_proc.pid])[0]
        press(wait_for("the Enrol button", lambda: find_button_starting(app, "Enrol with")))
        # GTK 4.8 gives a plain AdwWindow the role "filler".
        dialog = wait_for("the enrol window", lambda: [
            w for w in app.children if (w.name or "").startswith("Enrol with a Server")])[0]


        # A fingerprint that is not the server's: refused, and the code is not spent.
        wrong = "0" * 64
        fill(dialog, [("Server address", url), ("Certificate fingerprint", wrong),
                      ("Enrolment code", code), ("Username", DOCTOR), ("Password", PASSWORD)])
        wait_for("the refusal", lambda: labels_containing(dialog, "fingerprint"))
        print("ok - a wrong certificate fingerprint is refused")

        # The cursor is back in the fingerprint row with its text selected: type over it.
        rawinput.typeText(fingerprint)
        rawinput.pressKey("Return")  # everything is there now: enrols
        try:
            wait_for("the doctor logged in", lambda: app.findChild(
                lambda n: "Kwame Mensah" in (n.name or "") and n.roleName in (
                    "push button", "toggle button"),
                retry=False, requireResult=False))
        except AssertionError:
            # What the window says went wrong.
            for n in app.findChildren(lambda n: n.roleName == "alert"):
                print("# " + (n.name or ""))
            raise
        print("ok - enrolled, opened the new clinic file and logged in as " + DOCTOR)

        entry = wait_for("the Search patients entry", lambda: find_entry(app, "Search patients"))
        wait_for("the clinic's patients, fetched from the server",
                 lambda: labels_containing(app, "Record P-"))
        print("ok - the clinic's patients arrived by sync")
        del entry

        rawinput.keyCombo("<Control>q")
        status = app_proc.wait(timeout=TIMEOUT)
        if status != 0:
            raise AssertionError("rxdesk exited with status %d" % status)
        print("ok - Ctrl+Q quits cleanly")
    finally:
        for proc in (app_proc, srv):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
