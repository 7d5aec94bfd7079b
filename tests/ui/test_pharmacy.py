#!/usr/bin/python3
"""Drives the pharmacy and inventory windows of the real rxdesk through the accessibility
tree, as a pharmacist using a screen reader would: on a demo clinic made for the test, whose
queued prescription's medicine also has a lot that expired on the shelf, log in as the
pharmacist, open Pharmacy by its button, find the patient in the queue, see that the
expired lot cannot be chosen, dispense part of the prescription (the rest stays open), then
open Inventory and receive stock by typing a GS1 code into the Scan entry, as a keyboard-wedge
scanner does. First, rxdesk --screenshot saves a picture of each of the pharmacist's windows.

Usage: test_pharmacy.py RXDESK ADD_EXPIRED_LOT SCREENSHOT_DIR
Run it through run-a11y-test.sh, which provides the accessibility bus."""

import datetime
import glob
import os
import shutil
import subprocess
import sys
import tempfile

if not os.environ.get("DISPLAY"):
    print("No DISPLAY: skipping")
    sys.exit(77)

from test_home import (  # noqa: E402
    TIMEOUT, find_button, find_entry, labels_containing, press, wait_for)
from dogtail import rawinput, tree  # noqa: E402

PHARMACIST = "rpatel"
PASSWORD = "demo-Staff-pass-9876"


def find_window(app, prefix):
    # GTK 4.8 reports a modal AdwWindow as a filler.
    return app.findChild(
        lambda n: n.roleName in ("frame", "dialog", "window", "filler")
        and (n.name or "").startswith(prefix),
        retry=False, requireResult=False)


def find_role_starting(root, roles, prefix):
    return root.findChild(
        lambda n: n.roleName in roles and (n.name or "").startswith(prefix),
        retry=False, requireResult=False)


def sensitive(node):
    return node is not None and node.sensitive


def run_rxdesk(rxdesk, env, *args):
    return subprocess.Popen([rxdesk, "--demo", *args], env=env, stdin=subprocess.PIPE,
                            text=True)


def main():
    rxdesk, add_expired_lot, shots = sys.argv[1:4]
    workdir = tempfile.mkdtemp(prefix="rxdesk-pharmacy-")

    env = dict(os.environ)
    env["SECRET_BACKEND"] = "file"
    env["SECRET_FILE_TEST_PATH"] = os.path.join(workdir, "keyring.db")
    env.setdefault("SECRET_FILE_TEST_PASSWORD", "test")
    env["XDG_DATA_HOME"] = os.path.join(workdir, "data")
    env["XDG_CONFIG_HOME"] = os.path.join(workdir, "config")
    env["XDG_STATE_HOME"] = os.path.join(workdir, "state")
    env["TZ"] = "UTC"
    proc = None
    try:
        # The demo clinic, made once; then a picture of each window the pharmacist opens.
        os.makedirs(shots, exist_ok=True)
        first = run_rxdesk(rxdesk, env, "--demo-password-stdin", "--screenshot",
                           os.path.join(workdir, "first"))
        first.stdin.write(PASSWORD + "\n")
        first.stdin.close()
        if first.wait(timeout=180) != 0:
            raise AssertionError("making the demo clinic failed")
        shot = run_rxdesk(rxdesk, env, "--login", PHARMACIST, "--password-stdin",
                          "--screenshot", shots)
        shot.stdin.write(PASSWORD + "\n")
        shot.stdin.close()
        if shot.wait(timeout=180) != 0:
            raise AssertionError("rxdesk --screenshot failed")
        for name in ("pharmacy", "inventory"):
            if not os.path.exists(os.path.join(shots, name + ".png")):
                raise AssertionError("no screenshot of the %s window" % name)
        print("ok - screenshots of the pharmacy and inventory windows in " + shots)

        clinic = glob.glob(os.path.join(env["XDG_DATA_HOME"], "rxdesk", "*.db"))[0]
        found = subprocess.run([add_expired_lot, clinic], env=env, check=True,
                               capture_output=True, text=True).stdout.strip()
        patient, medicine = found.split("\t")
        print("ok - %s's %s has an expired lot on the shelf" % (patient, medicine))

        proc = run_rxdesk(rxdesk, env, "--login", PHARMACIST, "--password-stdin")
        proc.stdin.write(PASSWORD + "\n")
        proc.stdin.close()
        app = wait_for("rxdesk on the accessibility bus", lambda: [
            a for a in tree.root.applications()
            if a.name in ("rxdesk", "RxDesk") and a.get_process_id() == proc.pid])[0]

        press(wait_for("the Pharmacy button", lambda: find_button(app, "Pharmacy")))
        pharmacy = wait_for("the pharmacy window", lambda: find_window(app, "Pharmacy"))
        wait_for("the queue", lambda: labels_containing(pharmacy, "Waiting to Dispense"))
        print("ok - the Pharmacy button opens " + pharmacy.name)

        # Ctrl+F, the patient's name and Enter open their prescription, the cursor in the
        # first quantity.
        rawinput.keyCombo("<Control>f")
        search = wait_for("the queue's search", lambda: find_entry(pharmacy, "Find in the queue"))
        wait_for("focus on the search", lambda: search.focused or any(
            c.focused for c in search.children))
        rawinput.typeText(patient)
        rawinput.pressKey("Return")
        wait_for("the signature check", lambda: labels_containing(pharmacy, "Signature Verified"))
        wait_for("the safety alerts", lambda: labels_containing(pharmacy, "Safety Alerts"))
        quantity = wait_for("the quantity", lambda: find_role_starting(
            pharmacy, ("spin button",), "Quantity of " + medicine))
        print("ok - %s's prescription shows its signature verified and its safety alerts"
              % patient)

        # The lot that expired is listed, but cannot be chosen.
        expired = wait_for("the expired lot", lambda: find_role_starting(
            pharmacy, ("radio button", "check box"), "Lot EXP-OLD-1"))
        if sensitive(expired):
            raise AssertionError("the expired lot can be chosen")
        fefo = find_role_starting(pharmacy, ("radio button", "check box"),
                                  "First expiry, first out for " + medicine)
        if fefo is None or not fefo.checked:
            raise AssertionError("first expiry, first out is not chosen")
        print("ok - the expired lot EXP-OLD-1 is shown and cannot be chosen; FEFO is chosen")

        # One unit now: the rest stays open.
        wait_for("focus on the quantity", lambda: quantity.focused or any(
            c.focused for c in quantity.children))
        rawinput.keyCombo("<Control>a")
        rawinput.typeText("1")
        press(wait_for("the Dispense button", lambda: (lambda b: b if sensitive(b) else None)(
            find_button(pharmacy, "Dispense"))))
        # A serious alert for this patient is asked about first.
        answer = wait_for("the dispense or its question", lambda: find_button(
            app, "Dispense Anyway") or labels_containing(pharmacy, "1 × " + medicine))
        if not isinstance(answer, list):
            press(answer)
        wait_for("the dispensed lot", lambda: labels_containing(pharmacy, "1 × " + medicine))
        wait_for("the prescription partly dispensed",
                 lambda: labels_containing(pharmacy, "Partly dispensed"))
        if find_button(pharmacy, "Print Labels") is None:
            raise AssertionError("no Print Labels button after dispensing")
        print("ok - dispensed 1 of %s; the prescription stays in the queue, partly dispensed"
              % medicine)

        rawinput.keyCombo("<Control>w")
        wait_for("the pharmacy window to close", lambda: find_window(app, "Pharmacy") is None)

        # Inventory: Receive Stock opens with the cursor in Scan; a scanner types the code.
        press(wait_for("the Inventory button", lambda: find_button(app, "Inventory")))
        inventory = wait_for("the inventory window", lambda: find_window(app, "Inventory"))
        wait_for("the products", lambda: labels_containing(inventory, " products"))
        # The first product shows on the right; Receive Stock starts from it.
        wait_for("the first product's lots", lambda: labels_containing(inventory, " on hand in "))
        press(wait_for("the Receive Stock button",
                       lambda: find_button(inventory, "Receive Stock")))
        dialog = wait_for("the receive dialog", lambda: find_window(app, "Receive Stock"))
        scan = wait_for("the Scan entry", lambda: find_entry(dialog, "Scan"))
        wait_for("focus on Scan", lambda: scan.focused or any(c.focused for c in scan.children))
        expiry = datetime.date.today().replace(year=datetime.date.today().year + 2)
        rawinput.typeText("(01)09506000134352(17)%s(10)LOT-A11Y" % expiry.strftime("%y%m%d"))
        rawinput.pressKey("Return")
        wait_for("the scanned GTIN", lambda: labels_containing(dialog, "09506000134352"))
        wait_for("the lot from the scan", lambda: labels_containing(dialog, "is new here"))
        # The cursor moved on to the quantity.
        rawinput.typeText("25")
        press(wait_for("the Receive button", lambda: find_button(dialog, "Receive")))
        wait_for("the receipt", lambda: labels_containing(inventory, "Received 25 into lot LOT-A11Y"))
        wait_for("the new lot", lambda: labels_containing(inventory, "LOT-A11Y"))
        print("ok - a scanned GS1 code received 25 into lot LOT-A11Y")

        rawinput.keyCombo("<Control>w")
        wait_for("the inventory window to close", lambda: find_window(app, "Inventory") is None)
        rawinput.keyCombo("<Control>q")
        status = proc.wait(timeout=TIMEOUT)
        if status != 0:
            raise AssertionError("rxdesk exited with status %d" % status)
        print("ok - Ctrl+W closes each window and Ctrl+Q quits cleanly")
    finally:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
