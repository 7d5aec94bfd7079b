#!/usr/bin/python3
"""Drives the reception window of the real rxdesk through its accessibility tree, as a
screen reader user would: on a demo clinic made for the test (its staff share the password
the test gives it), log in as the receptionist, open Reception by its button, search the
registry, register a patient with an allergy, book them in and check them in, each control
found by its role and name.

Usage: test_reception.py RXDESK
Run it through run-a11y-test.sh, which provides the accessibility bus."""

import os
import shutil
import subprocess
import sys
import tempfile

if not os.environ.get("DISPLAY"):
    print("No DISPLAY: skipping")
    sys.exit(77)

# The home window's test has the helpers that cope with GTK 4.8's accessibility tree.
from test_home import (  # noqa: E402
    TIMEOUT, find_button, find_entry, is_focused, labels_containing, press, type_into_row,
    wait_for)
from dogtail import rawinput, tree  # noqa: E402

RECEPTIONIST = "tnguyen"
PASSWORD = "demo-Staff-pass-9876"


def find_window(app, prefix):
    return app.findChild(
        lambda n: n.roleName in ("frame", "dialog", "window")
        and (n.name or "").startswith(prefix),
        retry=False, requireResult=False)


def find_button_starting(root, prefix):
    return root.findChild(
        lambda n: n.roleName == "push button" and (n.name or "").startswith(prefix),
        retry=False, requireResult=False)


def sensitive(node):
    return node is not None and node.sensitive


def log_in(app):
    # Hidden pages are on the bus too, so the login rows are there before the demo is made;
    # the password shown once for the new demo says the clinic is open.
    wait_for("the demo clinic", lambda: labels_containing(app, PASSWORD))
    username = wait_for("the Username row", lambda: find_entry(app, "Username"))
    type_into_row(username, RECEPTIONIST)
    rawinput.pressKey("Return")
    password = wait_for("the Password row", lambda: find_entry(app, "Password"))
    type_into_row(password, PASSWORD)
    press(wait_for("the Log In button", lambda: find_button(app, "Log In")))
    wait_for("the user menu", lambda: app.findChild(
        lambda n: "Thu Nguyen" in (n.name or "") and n.roleName in (
            "push button", "toggle button"),
        retry=False, requireResult=False))
    print("ok - logged in as " + RECEPTIONIST)


def main():
    rxdesk = sys.argv[1]
    workdir = tempfile.mkdtemp(prefix="rxdesk-reception-")

    env = dict(os.environ)
    env["SECRET_BACKEND"] = "file"
    env["SECRET_FILE_TEST_PATH"] = os.path.join(workdir, "keyring.db")
    env.setdefault("SECRET_FILE_TEST_PASSWORD", "test")
    env["XDG_DATA_HOME"] = os.path.join(workdir, "data")
    env["XDG_CONFIG_HOME"] = os.path.join(workdir, "config")
    env["XDG_STATE_HOME"] = os.path.join(workdir, "state")
    # The demo's appointments are today in UTC; the window lists the local day.
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

        press(wait_for("the Reception button", lambda: find_button(app, "Reception")))
        reception = wait_for("the reception window", lambda: find_window(app, "Reception"))
        # It opens on the day's appointments; the demo has some today.
        wait_for("today's appointments", lambda: labels_containing(reception, "Booked"))
        print("ok - the Reception button opens " + reception.name)

        # Ctrl+F goes to the registry's search; typing there finds patients after a pause.
        rawinput.keyCombo("<Control>f")
        search = wait_for("the Search patients entry",
                          lambda: find_entry(reception, "Search patients"))
        wait_for("focus on the search", lambda: is_focused(search))
        rawinput.typeText("abe")
        wait_for("ABEBE in the results", lambda: labels_containing(reception, "ABEBE, "))
        print("ok - the registry search finds ABEBE")

        # Add Patient opens an empty form with the cursor in its first row; Enter moves on.
        press(wait_for("the Add Patient button", lambda: find_button(reception, "Add Patient")))
        family = wait_for("the Family Name row", lambda: find_entry(reception, "Family Name"))
        type_into_row(family, "Testperson")
        for text in ("Ada", "1990-05-17", "+44 20 7946 0000", "1 Riverside Walk", "latex"):
            rawinput.pressKey("Return")
            type_into_row(None, text)
        rawinput.pressKey("Return")  # in New Allergy: adds it to the list
        wait_for("latex on the allergy list", lambda: find_button(reception,
                                                                 "Remove allergy latex"))
        press(wait_for("the Register Patient button",
                       lambda: find_button(reception, "Register Patient")))
        # The form's title and the list both name the patient now.
        wait_for("the registered patient",
                 lambda: len(labels_containing(reception, "TESTPERSON, Ada")) >= 2)
        print("ok - registered TESTPERSON, Ada with an allergy to latex")

        press(wait_for("the Book Appointment button",
                       lambda: find_button_starting(reception, "Book Appointment")))
        dialog = wait_for("the booking dialog", lambda: find_window(app, "Book an Appointment"))
        book = wait_for("a free time to book",
                        lambda: (lambda b: b if sensitive(b) else None)(
                            find_button(dialog, "Book")))
        press(book)
        appointments = wait_for("the appointment list", lambda: reception.findChild(
            lambda n: n.name == "Appointments" and n.roleName == "list",
            retry=False, requireResult=False))
        wait_for("the booking in the day's list",
                 lambda: labels_containing(appointments, "TESTPERSON, Ada"))
        print("ok - booked TESTPERSON, Ada; the day's list shows the booking")

        press(wait_for("the Check In button",
                       lambda: (lambda b: b if sensitive(b) else None)(
                           find_button(reception, "Check In"))))
        wait_for("the check-in", lambda: labels_containing(appointments, "Checked in"))
        print("ok - Check In marks the patient checked in")

        # Ctrl+W closes the reception window alone; Ctrl+Q then quits cleanly.
        rawinput.keyCombo("<Control>w")
        wait_for("the reception window to close",
                 lambda: find_window(app, "Reception") is None)
        rawinput.keyCombo("<Control>q")
        status = proc.wait(timeout=TIMEOUT)
        if status != 0:
            raise AssertionError("rxdesk exited with status %d" % status)
        print("ok - Ctrl+W closes Reception and Ctrl+Q quits cleanly")
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
