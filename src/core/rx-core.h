/* rx-core.h: everything librxdesk-core offers the app, the CLI and the tests. */
#pragma once

#include "rx-core-error.h"
#include "rx-db.h"
#include "rx-hlc.h"
#include "rx-patient.h"
#include "rx-types.h"
#include "rx-uuid.h"
#include "rx-validate.h"
#include "rx-formulary.h"
#include "rx-password.h"
#include "rx-product.h"
#include "rx-stock.h"
#include "rx-user.h"
#include "rx-audit.h"
#include "rx-prescription.h"
#include "rx-demo.h"
#include "rx-paths.h"
