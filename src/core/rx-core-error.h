/* rx-core-error.h: the error domain of librxdesk-core. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RX_CORE_ERROR (rx_core_error_quark ())

typedef enum
{
  RX_CORE_ERROR_FAILED,          /* anything not below; the message says what */
  RX_CORE_ERROR_INVALID,         /* the input is wrong: fix it and try again */
  RX_CORE_ERROR_NOT_FOUND,       /* no such record */
  RX_CORE_ERROR_EXISTS,          /* a record with that unique key is already there */
  RX_CORE_ERROR_BUSY,            /* another program holds the database; try again */
  RX_CORE_ERROR_IO,              /* the file cannot be read or written */
  RX_CORE_ERROR_SCHEMA_TOO_NEW,  /* made by a newer RxDesk: upgrade this one */
  RX_CORE_ERROR_NOT_A_CLINIC,    /* the file is not an RxDesk clinic database */
  RX_CORE_ERROR_TRANSITION,      /* the state machine does not allow that change */
  RX_CORE_ERROR_PERMISSION,      /* the current user's role may not do that */
  RX_CORE_ERROR_KEYRING,         /* the desktop keyring is unreachable or lacks a key's secret */
  RX_CORE_ERROR_SAFETY,          /* a severe safety alert needs the prescriber's override reason */
} RxCoreError;

GQuark rx_core_error_quark (void);

G_END_DECLS
