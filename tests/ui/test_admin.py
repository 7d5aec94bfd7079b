#!/usr/bin/python3
"""Drives the administration window of the real rxdesk through its accessibility tree, as
a screen reader user would: on a demo clinic made for the test, log in as the administrator,
open Administration by its button, see the staff, verify the audit chain and read the
result, find the formulary import. (The import itself is driven in test-admin.c: the file
chooser does not answer on the accessibility bus under Xvfb.)

Usage: test_admin.py RXDESK
Run it through run-a11y-test.sh, which provides the accessibility bus."""

import os
import shutil
import subprocess
import sys
import tempfile

if not os.environ.get("DISPLAY"):
    print("No DISPLAY: skipping")
    sys.exit(77)

from test_home import (  # noqa: E402
    TIMEOUT, find_button, find_entry, labels_containing, press, type_into_row, wait_for)
from dogtail import rawinput, tree  # noqa: E402

ADMIN = "ayusuf"
PASSWORD = "demo-Staff-pass-9876"


def find_window(app, prefix):
    return app.findChild(
        lambda n: n.roleName in ("frame", "dialog", "window", "filler")
        and (n.name or "").startswith(prefix),
        retry=False, requireResult=False)


def show_tab(tab):
    """Selects a tab of the view switcher by its accessible action, or else by a click."""
    for action in ("click", "activate", "press", "select"):
        if action in tab.actions:
            tab.doActionNamed(action)
            return
    tab.click()


def log_in(app):
    wait_for("the demo clinic", lambda: labels_containing(app, PASSWORD))
    username = wait_for("the Username row", lambda: find_entry(app, "Username"))
    type_into_row(username, ADMIN)
    rawinput.pressKey("Return")
    password = wait_for("the Password row", lambda: find_entry(app, "Password"))
    type_into_row(password, PASSWORD)
    press(wait_for("the Log In button", lambda: find_button(app, "Log In")))
    wait_for("the user menu", lambda: app.findChild(
        lambda n: "Amina Yusuf" in (n.name or "") and n.roleName in (
            "push button", "toggle button"),
        retry=False, requireResult=False))
    print("ok - logged in as " + ADMIN)


def main():
    rxdesk = sys.argv[1]
    workdir = tempfile.mkdtemp(prefix="rxdesk-admin-")

    env = dict(os.environ)
    env["SECRET_BACKEND"] = "file"
    env["SECRET_FILE_TEST_PATH"] = os.path.join(workdir, "keyring.db")
    env.setdefault("SECRET_FILE_TEST_PASSWORD", "test")
    env["XDG_DATA_HOME"] = os.path.join(workdir, "data")
    env["XDG_CONFIG_HOME"] = os.path.join(workdir, "config")
    env["XDG_STATE_HOME"] = os.path.join(workdir, "state")
    proc = subprocess.Popen([rxdesk, "--demo", "--demo-password-stdin"], env=env,
                            stdin=subprocess.PIPE, text=True)
    proc.stdin.write(PASSWORD + "\n")
    proc.stdin.close()
    try:
        app = wait_for("rxdesk on the accessibility bus", lambda: [
            a for a in tree.root.applications()
            if a.name in ("rxdesk", "RxDesk") and a.get_process_id() == proc.pid])[0]
        log_in(app)

        press(wait_for("the Administration button",
                       lambda: find_button(app, "Administration")))
        admin = wait_for("the administration window",
                         lambda: find_window(app, "Administration"))
        wait_for("the staff list", lambda: labels_containing(admin, "Dr Kwame Mensah"))
        wait_for("a physician's prescribing", lambda: labels_containing(admin, " signed"))
        print("ok - the Administration button opens " + admin.name + " on its staff")

        # Verify Chain (on the Audit tab) says what it found, in a dialog.
        show_tab(wait_for("the Audit tab", lambda: admin.findChild(
            lambda n: n.roleName == "page tab" and n.name == "Audit",
            retry=False, requireResult=False)))
        wait_for("the audit events", lambda: labels_containing(admin, "The newest"))
        press(wait_for("the Verify Chain button", lambda: find_button(admin, "Verify Chain")))
        result = wait_for("the verification's answer",
                          lambda: labels_containing(app, "The Audit Trail Is Intact"))
        print("ok - Verify Chain reports: " + result[0].name)
        # Escape answers it, as its Close button would
        rawinput.pressKey("Escape")
        wait_for("the dialog to close",
                 lambda: find_window(app, "The Audit Trail Is Intact") is None)

        # The Formulary tab offers the import, its button named by its row.
        show_tab(wait_for("the Formulary tab", lambda: admin.findChild(
            lambda n: n.roleName == "page tab" and n.name == "Formulary",
            retry=False, requireResult=False)))
        wait_for("the Import a Formulary File button",
                 lambda: find_button(admin, "Import a Formulary File"))
        print("ok - the Formulary tab offers Import a Formulary File")

        rawinput.keyCombo("<Control>w")
        wait_for("the administration window to close",
                 lambda: find_window(app, "Administration") is None)
        rawinput.keyCombo("<Control>q")
        status = proc.wait(timeout=TIMEOUT)
        if status != 0:
            raise AssertionError("rxdesk exited with status %d" % status)
        print("ok - Ctrl+W closes Administration and Ctrl+Q quits cleanly")
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
