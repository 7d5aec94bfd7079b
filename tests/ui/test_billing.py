#!/usr/bin/python3
"""Drives the billing window of the real rxdesk through its accessibility tree, as a
pharmacist at the till would: on a demo clinic made for the test, log in as the pharmacist,
open Billing by its button, find a medicine by name and put it on the sale with Enter, pay
cash and see the change due, then open the invoice by its number and refund it with a
reason, and read the day's closing report. Each control is found by its role and name.

Usage: test_billing.py RXDESK SCREENSHOT_DIR
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
    TIMEOUT, find_button, find_entry, is_focused, labels_containing, press, wait_for)
from dogtail import rawinput, tree  # noqa: E402

PHARMACIST = "rpatel"
PASSWORD = "demo-Staff-pass-9876"


def find_window(app, prefix):
    return app.findChild(
        lambda n: n.roleName in ("frame", "dialog", "window", "filler")
        and (n.name or "").startswith(prefix),
        retry=False, requireResult=False)


def find_named(root, name, roles):
    return root.findChild(lambda n: n.name == name and n.roleName in roles,
                          retry=False, requireResult=False)


def sensitive(node):
    return node if node is not None and node.sensitive else None


def log_in(app):
    wait_for("the demo clinic", lambda: labels_containing(app, PASSWORD))
    username = wait_for("the Username row", lambda: find_entry(app, "Username"))
    del username
    rawinput.typeText(PHARMACIST)
    rawinput.pressKey("Return")
    wait_for("the Password row", lambda: find_entry(app, "Password"))
    rawinput.typeText(PASSWORD)
    press(wait_for("the Log In button", lambda: find_button(app, "Log In")))
    wait_for("the user menu", lambda: app.findChild(
        lambda n: "Ravi Patel" in (n.name or "") and n.roleName in (
            "push button", "toggle button"),
        retry=False, requireResult=False))
    print("ok - logged in as " + PHARMACIST)


def main():
    rxdesk = sys.argv[1]
    shots = sys.argv[2] if len(sys.argv) > 2 else None
    workdir = tempfile.mkdtemp(prefix="rxdesk-billing-")

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

        press(wait_for("the Billing button", lambda: find_button(app, "Billing")))
        try:
            till = wait_for("the billing window", lambda: find_window(app, "Billing"))
        except AssertionError:
            print("# windows: %r" % [(c.roleName, c.name) for c in app.children])
            raise
        wait_for("the empty sale", lambda: labels_containing(till, "No Items Yet"))
        print("ok - the Billing button opens " + till.name)

        # The cursor waits in the scan entry; a name searches after a pause, and Enter puts
        # the one match on the sale.
        search = wait_for("the scan entry",
                          lambda: find_entry(till, "Scan or search products"))
        wait_for("focus on the scan entry", lambda: is_focused(search))
        rawinput.typeText("ibuprofen 400")
        wait_for("the product in the results",
                 lambda: labels_containing(till, "a unit · tax"))
        rawinput.pressKey("Return")
        wait_for("the line on the sale", lambda: find_named(
            till, "Quantity of ibuprofen 400 mg film-coated tablet", ("spin button",)))
        print("ok - Enter puts ibuprofen 400 mg on the sale")

        # Pay: cash, 5 handed over; the dialog says the change before and after.
        press(wait_for("the Pay button", lambda: sensitive(find_button(till, "Pay…"))))
        dialog = wait_for("the payment dialog", lambda: find_window(app, "Take Payment"))
        wait_for("the amount row", lambda: find_entry(dialog, "Amount Tendered"))
        rawinput.keyCombo("<Control>a")
        rawinput.typeText("5")
        wait_for("the change due", lambda: labels_containing(dialog, "Change due USD 4.97"))
        press(wait_for("Complete Sale", lambda: sensitive(find_button(dialog,
                                                                      "Complete Sale"))))
        done = wait_for("the sale to complete", lambda: find_window(app, "Sale Complete"))
        number = wait_for("the invoice number", lambda: [
            n.name.split()[1] for n in labels_containing(done, " Is Paid")])[0]
        wait_for("the change on the done page",
                 lambda: labels_containing(done, "Change due USD 4.97"))
        print("ok - invoice %s paid in cash, change due USD 4.97" % number)
        press(wait_for("Next Customer", lambda: find_button(done, "Next Customer")))
        wait_for("the dialog to close", lambda: find_window(app, "Sale Complete") is None)
        wait_for("the empty sale again", lambda: labels_containing(till, "No Items Yet"))

        # Refund it: Alt+2 goes to the invoices, the number and Enter open it.
        rawinput.keyCombo("<Alt>2")
        invoices = wait_for("the invoice search", lambda: find_entry(till, "Search invoices"))
        wait_for("focus on the invoice search", lambda: is_focused(invoices))
        rawinput.typeText(number)
        rawinput.pressKey("Return")
        wait_for("the invoice", lambda: labels_containing(till, "Invoice %s" % number))
        press(wait_for("the Refund button", lambda: sensitive(find_button(till, "Refund…"))))
        reason = wait_for("the refund question's reason",
                          lambda: find_entry(app, "Reason for the refund"))
        question = reason
        while question.parent is not None and question.roleName not in (
                "frame", "dialog", "window", "filler", "alert"):
            question = question.parent
        wait_for("focus on the reason", lambda: is_focused(reason))
        rawinput.typeText("customer changed their mind")
        # GTK 4.8 names a response button with its mnemonic too ("_Refund Refund").
        press(wait_for("the Refund response", lambda: sensitive(question.findChild(
            lambda n: n.roleName == "push button" and "Refund" in (n.name or "")
            and "…" not in n.name, retry=False, requireResult=False))))
        wait_for("the credit note", lambda: labels_containing(till, "Credit Note "))
        wait_for("the link to the original",
                 lambda: labels_containing(till, "refunds invoice %s" % number))
        print("ok - invoice %s refunded by a credit note that refers to it" % number)

        # The day's closing report counts the sale and the refund.
        rawinput.keyCombo("<Alt>3")
        wait_for("the closing report", lambda: labels_containing(till, "Expected Cash"))
        wait_for("the refunds counted", lambda: labels_containing(till, "1 credit note"))
        rawinput.typeText("0")
        wait_for("the difference", lambda: labels_containing(till, " short")
                 or labels_containing(till, " over")
                 or labels_containing(till, "the drawer is right"))
        print("ok - the Z report shows the refund and the cash difference")

        rawinput.keyCombo("<Control>w")
        wait_for("the billing window to close", lambda: find_window(app, "Billing") is None)
        rawinput.keyCombo("<Control>q")
        status = proc.wait(timeout=TIMEOUT)
        if status != 0:
            raise AssertionError("rxdesk exited with status %d" % status)
        print("ok - Ctrl+W closes Billing and Ctrl+Q quits cleanly")

        # A picture of the window as the pharmacist sees it, from the app itself.
        if shots:
            shot_env = dict(env)
            subprocess.run([rxdesk, "--demo", "--login", PHARMACIST, "--password-stdin",
                            "--screenshot", shots], env=shot_env, input=PASSWORD + "\n",
                           text=True, timeout=150, check=True)
            if not os.path.exists(os.path.join(shots, "billing.png")):
                raise AssertionError("no billing.png in " + shots)
            print("ok - saved " + os.path.join(shots, "billing.png"))
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
