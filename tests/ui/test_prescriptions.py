#!/usr/bin/python3
"""Drives the prescription window of the real rxdesk through its accessibility tree, as a
doctor using the keyboard would: on a demo clinic made for the test, log in as the doctor,
open Prescriptions by its button, find the patient, add two medicines that interact
(ibuprofen with aspirin), see the alert, sign with the password, and find the signed
prescription in the patient's history; each control found by its role and name.

Usage: test_prescriptions.py RXDESK
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
    TIMEOUT, find_button, find_entry, is_focused, labels_containing, press, type_into_row,
    wait_for)
from dogtail import rawinput, tree  # noqa: E402

DOCTOR = "kmensah"
PASSWORD = "demo-Staff-pass-9876"
# The demo's patients are the same in every demo clinic; her date of birth finds her alone.
PATIENT_BORN = "1966-01-15"
PATIENT = "ABEBE, Amina"


def find_window(app, prefix):
    # GTK 4.8 reports a second application window as a "filler" until it is focused.
    return app.findChild(
        lambda n: n.roleName in ("frame", "dialog", "window", "filler", "alert")
        and (n.name or "").startswith(prefix),
        retry=False, requireResult=False)


def log_in(app):
    wait_for("the demo clinic", lambda: labels_containing(app, PASSWORD))
    username = wait_for("the Username row", lambda: find_entry(app, "Username"))
    type_into_row(username, DOCTOR)
    rawinput.pressKey("Return")
    password = wait_for("the Password row", lambda: find_entry(app, "Password"))
    type_into_row(password, PASSWORD)
    press(wait_for("the Log In button", lambda: find_button(app, "Log In")))
    wait_for("the user menu", lambda: app.findChild(
        lambda n: "Kwame Mensah" in (n.name or "") and n.roleName in (
            "push button", "toggle button"),
        retry=False, requireResult=False))
    print("ok - logged in as " + DOCTOR)


def add_medicine(window, text, found):
    """Ctrl+D goes to the medicine search; Enter adds the best match once it is listed."""
    rawinput.keyCombo("<Control>d")
    search = wait_for("the Search medicines entry",
                      lambda: find_entry(window, "Search medicines"))
    wait_for("focus on the medicine search", lambda: is_focused(search))
    rawinput.typeText(text)
    wait_for(found + " in the results", lambda: labels_containing(window, found))
    rawinput.pressKey("Return")
    wait_for(found + " on the prescription", lambda: window.findChild(
        lambda n: (n.name or "").startswith("Remove " + found), retry=False,
        requireResult=False))
    print("ok - added " + found)


def main():
    rxdesk = sys.argv[1]
    workdir = tempfile.mkdtemp(prefix="rxdesk-prescriptions-")

    env = dict(os.environ)
    env["SECRET_BACKEND"] = "file"
    env["SECRET_FILE_TEST_PATH"] = os.path.join(workdir, "keyring.db")
    env.setdefault("SECRET_FILE_TEST_PASSWORD", "test")
    env["XDG_DATA_HOME"] = os.path.join(workdir, "data")
    env["XDG_CONFIG_HOME"] = os.path.join(workdir, "config")
    env["XDG_STATE_HOME"] = os.path.join(workdir, "state")
    env["TZ"] = "UTC"
    proc = subprocess.Popen([rxdesk, "--demo", "--demo-password-stdin"], env=env,
                            stdin=subprocess.PIPE, text=True)
    proc.stdin.write(PASSWORD + "\n")
    proc.stdin.close()
    try:
        app = wait_for("rxdesk on the accessibility bus", lambda: [
            a for a in tree.root.applications()
            if a.name in ("rxdesk", "RxDesk") and a.get_process_id() == proc.pid])[0]
        log_in(app)

        press(wait_for("the Prescriptions button", lambda: find_button(app, "Prescriptions")))
        window = wait_for("the prescription window", lambda: find_window(app, "Prescriptions"))
        print("ok - the Prescriptions button opens " + window.name)

        # The window opens with the cursor in the patient search; Enter takes a single match.
        search = wait_for("the Search patients entry",
                          lambda: find_entry(window, "Search patients"))
        wait_for("focus on the patient search", lambda: is_focused(search))
        rawinput.typeText(PATIENT_BORN)
        wait_for(PATIENT + " in the results", lambda: labels_containing(window, PATIENT))
        rawinput.pressKey("Return")
        wait_for("the patient's record", lambda: labels_containing(window, "record no."))
        print("ok - found and opened " + PATIENT)

        add_medicine(window, "ibuprofen 400", "ibuprofen 400 mg film-coated tablet")
        add_medicine(window, "aspirin 75", "acetylsalicylic acid 75 mg")

        # The safety checks name the pair and how severe it is.
        wait_for("the interaction alert", lambda: [
            label for label in labels_containing(window, "Interaction: ")
            if "ibuprofen" in label.name and "acetylsalicylic acid" in label.name])
        wait_for("its severity", lambda: labels_containing(window, "Moderate"))
        print("ok - the safety checks show the ibuprofen and aspirin interaction")

        # Ctrl+Enter asks for the password; Enter in it signs.
        sign = wait_for("the Sign button", lambda: (lambda b: b if b and b.sensitive else None)(
            find_button(window, "Sign…")))
        rawinput.keyCombo("<Control>Return")
        dialog = wait_for("the signing dialog",
                          lambda: find_window(app, "Sign the Prescription?"))
        password = wait_for("the Password entry", lambda: find_entry(dialog, "Password"))
        wait_for("focus on the password", lambda: is_focused(password))
        rawinput.typeText(PASSWORD)
        rawinput.pressKey("Return")
        history = wait_for("the history", lambda: window.findChild(
            lambda n: n.name == "Prescription history" and n.roleName == "list",
            retry=False, requireResult=False))
        wait_for("the signed prescription in the history",
                 lambda: labels_containing(history, "Signed ·"))
        wait_for("its medicines", lambda: labels_containing(history, "acetylsalicylic acid"))
        if sign.sensitive:
            raise AssertionError("Sign is still enabled with nothing left to sign")
        print("ok - signed; the patient's history shows it")

        rawinput.keyCombo("<Control>w")
        wait_for("the prescription window to close",
                 lambda: find_window(app, "Prescriptions") is None)
        rawinput.keyCombo("<Control>q")
        status = proc.wait(timeout=TIMEOUT)
        if status != 0:
            raise AssertionError("rxdesk exited with status %d" % status)
        print("ok - Ctrl+W closes Prescriptions and Ctrl+Q quits cleanly")
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
