#!/usr/bin/python3
"""Drives the real rxdesk through its accessibility tree, as a screen reader user would:
log in with the rows found by role and name, find the patient search, type a name, see the
patient; search the formulary for paracetamol; lock from the user menu and see Unlock.

Usage: test_home.py RXDESK MAKE_CLINIC MEDICINES.csv SYNONYMS.csv
Run it through run-a11y-test.sh, which provides the accessibility bus."""

import os
import shutil
import subprocess
import sys
import tempfile
import time

if not os.environ.get("DISPLAY"):
    print("No DISPLAY: skipping")
    sys.exit(77)

from dogtail.config import config  # noqa: E402

# GTK 4 talks to the bus without the GNOME desktop switch that dogtail looks for.
config.checkForA11y = False
config.searchCutoffCount = 10
config.defaultDelay = 0.3
config.typingDelay = 0.05
config.logDebugToFile = False

from dogtail import predicate, rawinput, tree  # noqa: E402

TIMEOUT = 20
USERNAME = "kmensah"
PASSWORD = "correct-Horse-battery-42"


def wait_for(what, find):
    """Polls find() until it returns something true, or fails the test. GTK 4.8 reports
    hidden widgets too and no reliable "showing" state, so checks look at contents."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        try:
            found = find()
        except Exception:  # the tree changes under us while rows are rebuilt
            found = None
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError("timed out waiting for " + what)


def labels_containing(root, text):
    text = text.casefold()
    return root.findChildren(
        lambda n: n.roleName == "label" and text in (n.name or "").casefold())


def find_entry(app, name):
    return app.findChild(
        lambda n: n.name == name and n.roleName in (
            "entry", "text", "search box", "password text"),
        retry=False, requireResult=False)


def type_into_row(row, text):
    """Types into an entry row. Its text field is not on the bus in GTK 4.8, so the row's
    focus cannot be seen; the app puts the cursor there itself."""
    time.sleep(0.5)
    rawinput.typeText(text)


def find_button(app, name):
    return app.findChild(
        lambda n: n.name == name and n.roleName in ("push button", "toggle button"),
        retry=False, requireResult=False)


def press(button):
    """Clicks a button through its accessible action, as a screen reader would."""
    button.doActionNamed("click")
    return None


def is_focused(node):
    return node.focused or any(c.focused for c in node.children)


def type_into(entry, text):
    """Types with the keyboard into an entry that has the focus. GTK 4.8 cannot move the
    focus over AT-SPI, so the app's own focus handling gets it there."""
    wait_for("focus on " + entry.name, lambda: is_focused(entry))
    rawinput.typeText(text)


def main():
    rxdesk, make_clinic, medicines, synonyms = sys.argv[1:5]
    workdir = tempfile.mkdtemp(prefix="rxdesk-ui-")
    clinic = os.path.join(workdir, "clinic.db")
    subprocess.run([make_clinic, clinic, medicines, synonyms], check=True,
                   input=PASSWORD + "\n", text=True)

    env = dict(os.environ)
    # The clinic's keys live in a keyring file of this run's own, never a desktop keyring.
    env["SECRET_BACKEND"] = "file"
    env["SECRET_FILE_TEST_PATH"] = os.path.join(workdir, "keyring.db")
    env.setdefault("SECRET_FILE_TEST_PASSWORD", "test")
    env["XDG_DATA_HOME"] = os.path.join(workdir, "data")
    env["XDG_CONFIG_HOME"] = os.path.join(workdir, "config")
    env["XDG_STATE_HOME"] = os.path.join(workdir, "state")
    proc = subprocess.Popen([rxdesk, "--clinic", clinic], env=env)
    try:
        app = wait_for("rxdesk on the accessibility bus", lambda: [
            a for a in tree.root.applications()
            if a.name in ("rxdesk", "RxDesk") and a.get_process_id() == proc.pid])[0]

        # The clinic opens on the login page, with the cursor in the Username row.
        username = wait_for("the Username row", lambda: find_entry(app, "Username"))
        type_into_row(username, USERNAME)
        rawinput.pressKey("Return")  # on to the Password row
        password = wait_for("the Password row", lambda: find_entry(app, "Password"))
        type_into_row(password, PASSWORD)
        press(wait_for("the Log In button", lambda: find_button(app, "Log In")))
        wait_for("the user menu", lambda: app.findChild(
            lambda n: "Kwame Mensah" in (n.name or "") and n.roleName in (
                "push button", "toggle button"),
            retry=False, requireResult=False))
        print("ok - logged in as " + USERNAME)

        entry = wait_for("the Search patients entry", lambda: find_entry(app, "Search patients"))
        # The clinic opens with its patients listed; a search narrows them to one.
        wait_for("the patient list", lambda: labels_containing(app, "LINDQVIST"))
        type_into(entry, "okaf")
        wait_for("OKAFOR in the results", lambda: labels_containing(app, "OKAFOR, Amina"))
        wait_for("the other patients to go",
                 lambda: not labels_containing(app, "LINDQVIST")
                 and not labels_containing(app, "MENSAH, Kwame"))
        print("ok - patient search shows OKAFOR, Amina")

        tab = wait_for("the Medicines tab", lambda: app.findChild(
            lambda n: n.name == "Medicines" and n.roleName in (
                "toggle button", "radio button", "push button", "page tab"),
            retry=False, requireResult=False))
        try:
            tab.doActionNamed("click")
        except Exception:
            pass
        # Ctrl+D is the shortcut to the medicine search; it also moves the focus there.
        rawinput.keyCombo("<Control>d")
        medicines = wait_for("the Search medicines entry",
                             lambda: find_entry(app, "Search medicines"))
        type_into(medicines, "paracet")
        found = wait_for("paracetamol in the formulary",
                         lambda: [n for n in labels_containing(app, "paracetamol")])
        print("ok - medicine search shows " + found[0].name)

        def user_menu():
            # A menu button is a button around the toggle button that takes the click.
            buttons = app.findChildren(
                lambda n: "Kwame Mensah" in (n.name or "") and n.roleName in (
                    "push button", "toggle button"))
            return buttons[-1] if buttons else None

        def lock_item():
            return app.findChild(
                lambda n: n.name == "Lock" and n.roleName in ("menu item", "push button"),
                retry=False, requireResult=False)

        # Nodes come and go while the lists rebuild, so find and click in one go, retrying.
        wait_for("the user menu to open", lambda: press(user_menu()) or lock_item())
        wait_for("Lock in the user menu", lambda: press(lock_item()) or True)
        # GTK 4.8 lists hidden widgets too, so the lock shows in what goes away: the user
        # menu and every patient's name.
        wait_for("the Unlock button", lambda: find_button(app, "Unlock"))
        wait_for("the user menu to go", lambda: user_menu() is None)
        wait_for("the patients to go", lambda: not labels_containing(app, "OKAFOR"))
        print("ok - Lock in the user menu locks the window and hides the patients")

        # Quitting with the shortcut lets the app shut down cleanly, so that a sanitizer
        # build reports its leaks in the exit status.
        rawinput.keyCombo("<Control>q")
        status = proc.wait(timeout=TIMEOUT)
        if status != 0:
            raise AssertionError("rxdesk exited with status %d" % status)
        print("ok - Ctrl+Q quits cleanly")
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
