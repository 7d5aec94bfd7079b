#!/bin/sh
# Runs an accessibility (dogtail) test: starts the AT-SPI bus of this D-Bus session, runs the
# Python test with GTK talking to that bus, and stops the bus again. Exit 77 means skipped.
set -u

if [ -z "${DISPLAY:-}" ]; then
  echo "No DISPLAY: skipping (run under xvfb-run)"
  exit 77
fi
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  echo "No D-Bus session: skipping (run under dbus-run-session)"
  exit 77
fi

launcher=/usr/libexec/at-spi-bus-launcher
if [ ! -x "$launcher" ]; then
  echo "No $launcher: skipping (install at-spi2-core)"
  exit 77
fi

# The bus and the registry daemon it starts outlive this script a little; they must not hold
# the test runner's output open, or it waits for them until the test times out.
"$launcher" --launch-immediately </dev/null >/dev/null 2>&1 &
launcher_pid=$!
trap 'kill "$launcher_pid" 2>/dev/null' INT TERM

# Wait for the bus to answer before any client asks for it.
i=0
until gdbus call --session --dest org.a11y.Bus --object-path /org/a11y/bus \
        --method org.a11y.Bus.GetAddress >/dev/null 2>&1; do
  i=$((i + 1))
  if [ "$i" -gt 50 ]; then
    echo "The accessibility bus did not start"
    kill "$launcher_pid" 2>/dev/null
    exit 1
  fi
  sleep 0.1
done

export GTK_A11Y=atspi
unset NO_AT_BRIDGE

/usr/bin/python3 "$@"
status=$?

kill "$launcher_pid" 2>/dev/null
wait "$launcher_pid" 2>/dev/null
exit "$status"
