#!/usr/bin/python3
"""Drives the assistant of the real rxdesk through its accessibility tree, as a screen reader
user would, on a demo clinic made for the test:

- a doctor logs in, opens the Assistant beside the clinic's pages, asks "how much is
  amoxicillin" and hears the price, with a card for each form of it;
- the kiosk (rxdesk --kiosk) on the same clinic file: a patient types "my father has crushing
  chest pain" and sees the emergency banner with the number to call; the alert is in the
  clinic file, the kiosk's;
- the doctor's workstation opens again: the alert comes up as a desktop notification (to a
  stand-in notification server on this D-Bus session), and its Acknowledge button records
  who took it on, which withdraws the notification.

Usage: test_assistant.py RXDESK
Run it through run-a11y-test.sh, which provides the accessibility bus."""

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

if not os.environ.get("DISPLAY"):
    print("No DISPLAY: skipping")
    sys.exit(77)

from test_home import (  # noqa: E402
    TIMEOUT, find_button, find_entry, labels_containing, press, type_into)
from dogtail import rawinput, tree  # noqa: E402
import gi  # noqa: E402
gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib  # noqa: E402

DOCTOR = "kmensah"
PASSWORD = "demo-Staff-pass-9876"

NOTIFICATIONS_XML = """
<node>
  <interface name="org.freedesktop.Notifications">
    <method name="Notify">
      <arg type="s" direction="in"/><arg type="u" direction="in"/>
      <arg type="s" direction="in"/><arg type="s" direction="in"/>
      <arg type="s" direction="in"/><arg type="as" direction="in"/>
      <arg type="a{sv}" direction="in"/><arg type="i" direction="in"/>
      <arg type="u" direction="out"/>
    </method>
    <method name="CloseNotification"><arg type="u" direction="in"/></method>
    <method name="GetCapabilities"><arg type="as" direction="out"/></method>
    <method name="GetServerInformation">
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
    </method>
    <signal name="ActionInvoked"><arg type="u"/><arg type="s"/></signal>
    <signal name="NotificationClosed"><arg type="u"/><arg type="u"/></signal>
  </interface>
</node>
"""


class NotificationServer:
    """A stand-in desktop notification server: it keeps what it is shown, and can press a
    notification's button as a person would."""

    def __init__(self):
        self.bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
        self.shown = {}    # id -> (summary, body, actions)
        self.closed = set()
        self.next_id = 1
        info = Gio.DBusNodeInfo.new_for_xml(NOTIFICATIONS_XML)
        self.bus.register_object("/org/freedesktop/Notifications", info.interfaces[0],
                                 self.on_call, None, None)
        Gio.bus_own_name_on_connection(self.bus, "org.freedesktop.Notifications",
                                       Gio.BusNameOwnerFlags.NONE, None, None)

    def on_call(self, connection, sender, path, interface, method, params, invocation):
        if method == "Notify":
            _app, replaces, _icon, summary, body, actions, _hints, _timeout = params.unpack()
            nid = replaces or self.next_id
            self.next_id += 1
            self.shown[nid] = (summary, body, actions)
            self.closed.discard(nid)
            invocation.return_value(GLib.Variant("(u)", (nid,)))
        elif method == "CloseNotification":
            self.closed.add(params.unpack()[0])
            invocation.return_value(None)
        elif method == "GetCapabilities":
            invocation.return_value(GLib.Variant("(as)", (["actions", "body"],)))
        else:
            invocation.return_value(GLib.Variant("(ssss)", ("test", "rxdesk", "1", "1.2")))

    def open(self):
        return {n: s for n, s in self.shown.items() if n not in self.closed}

    def press(self, nid, label):
        actions = self.shown[nid][2]
        key = actions[actions.index(label) - 1]
        self.bus.emit_signal(None, "/org/freedesktop/Notifications",
                             "org.freedesktop.Notifications", "ActionInvoked",
                             GLib.Variant("(us)", (nid, key)))


def pump_wait(what, find):
    """wait_for, serving the stand-in notification server meanwhile."""
    context = GLib.MainContext.default()
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        while context.pending():
            context.iteration(False)
        try:
            found = find()
        except Exception:  # the tree changes under us
            found = None
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError("timed out waiting for " + what)


def start(rxdesk, env, args, stdin_text=None):
    proc = subprocess.Popen([rxdesk] + args, env=env, stdin=subprocess.PIPE, text=True)
    if stdin_text is not None:
        proc.stdin.write(stdin_text + "\n")
    proc.stdin.close()
    app = pump_wait("rxdesk on the accessibility bus", lambda: [
        a for a in tree.root.applications()
        if a.name in ("rxdesk", "RxDesk") and a.get_process_id() == proc.pid])[0]
    return proc, app


def stop(proc):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def quit_cleanly(proc):
    rawinput.keyCombo("<Control>q")
    status = proc.wait(timeout=TIMEOUT)
    if status != 0:
        raise AssertionError("rxdesk exited with status %d" % status)


def ask(app, text):
    entry = pump_wait("the Message entry", lambda: find_entry(app, "Message"))
    type_into(entry, text)
    rawinput.pressKey("Return")


def query(path, sql):
    with sqlite3.connect("file:%s?mode=ro" % path, uri=True) as db:
        return db.execute(sql).fetchall()


def main():
    rxdesk = sys.argv[1]
    workdir = tempfile.mkdtemp(prefix="rxdesk-assistant-")
    env = dict(os.environ)
    env["SECRET_BACKEND"] = "file"
    env["SECRET_FILE_TEST_PATH"] = os.path.join(workdir, "keyring.db")
    env.setdefault("SECRET_FILE_TEST_PASSWORD", "test")
    env["XDG_DATA_HOME"] = os.path.join(workdir, "data")
    env["XDG_CONFIG_HOME"] = os.path.join(workdir, "config")
    env["XDG_STATE_HOME"] = os.path.join(workdir, "state")
    clinic = os.path.join(workdir, "data", "rxdesk", "Demo Clinic.db")
    server = NotificationServer()
    proc = None
    try:
        # The doctor, at the home window.
        proc, app = start(rxdesk, env, ["--demo", "--demo-password-stdin"], PASSWORD)
        pump_wait("the demo clinic", lambda: labels_containing(app, PASSWORD))
        username = pump_wait("the Username row", lambda: find_entry(app, "Username"))
        time.sleep(0.5)
        rawinput.typeText(DOCTOR)
        rawinput.pressKey("Return")
        pump_wait("the Password row", lambda: find_entry(app, "Password"))
        time.sleep(0.5)
        rawinput.typeText(PASSWORD)
        press(pump_wait("the Log In button", lambda: find_button(app, "Log In")))
        del username

        press(pump_wait("the Assistant button", lambda: find_button(app, "Assistant")))
        ask(app, "how much is amoxicillin")
        pump_wait("the price", lambda: labels_containing(app, "for 0.60"))
        pump_wait("a medicine card", lambda: labels_containing(app, "0.60 for 15 capsule"))
        pump_wait("the stock on the card", lambda: labels_containing(app, "300 in stock"))
        print("ok - the Assistant answers the price of amoxicillin with its cards")
        quit_cleanly(proc)

        if not os.path.exists(clinic):
            clinic = [os.path.join(dp, f) for dp, _, fs in os.walk(env["XDG_DATA_HOME"])
                      for f in fs if f.endswith(".db")][0]

        # The kiosk, on the same clinic file: nobody logs in.
        proc, app = start(rxdesk, env, ["--kiosk", "--clinic", clinic])
        ask(app, "my father has crushing chest pain")
        pump_wait("the emergency banner", lambda: labels_containing(app, "Call 112 now"))
        alerts = query(clinic, "SELECT id FROM alerts WHERE kind = 'emergency' AND "
                               "updated_by = 'kiosk' AND acknowledged_at IS NULL")
        if len(alerts) != 1:
            raise AssertionError("expected one open kiosk alert, found %r" % alerts)
        alert_id = alerts[0][0]
        press(pump_wait("the Start Over button", lambda: find_button(app, "Start Over")))
        pump_wait("the empty conversation", lambda: labels_containing(app, "Ask the Assistant"))
        print("ok - the kiosk shows the emergency banner and raises alert " + alert_id)
        quit_cleanly(proc)

        # The doctor's workstation again: the alert is a notification until acknowledged.
        proc, app = start(rxdesk, env, ["--clinic", clinic, "--login", DOCTOR,
                                        "--password-stdin"], PASSWORD)
        shown = pump_wait("the alert's notification", lambda: [
            n for n, (summary, body, _) in server.open().items()
            if "Emergency" in summary and "crushing chest pain" in body])
        print("ok - the doctor's workstation shows the alert as a notification")
        server.press(shown[0], "Acknowledge")
        pump_wait("the acknowledgement", lambda: query(
            clinic, "SELECT a.id FROM alerts a JOIN users u ON u.id = a.acknowledged_by "
                    "WHERE a.id = '%s' AND u.username = '%s'" % (alert_id, DOCTOR)))
        pump_wait("the notification to go", lambda: shown[0] in server.closed)
        print("ok - Acknowledge records the doctor and withdraws the notification")
        quit_cleanly(proc)
    finally:
        if proc is not None:
            stop(proc)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
