/* rx-core.h: everything librxdesk-core offers the app, the CLI and the tests. */
#pragma once

#include "rx-alert.h"
#include "rx-appointment.h"
#include "rx-core-error.h"
#include "rx-db.h"
#include "rx-feedback.h"
#include "rx-hlc.h"
#include "rx-invoice.h"
#include "rx-order.h"
#include "rx-patient.h"
#include "rx-types.h"
#include "rx-uuid.h"
#include "rx-validate.h"
