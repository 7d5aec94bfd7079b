/* rx-core.h: everything librxdesk-core offers the app, the CLI and the tests. */
#pragma once

#include "rx-core-error.h"
#include "rx-db.h"
#include "rx-hlc.h"
#include "rx-patient.h"
#include "rx-types.h"
#include "rx-uuid.h"
#include "rx-validate.h"
