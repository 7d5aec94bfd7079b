/* rx-medicines-page.h: search the formulary, with the clinic's stock and prices. */
#pragma once

#include <gtk/gtk.h>

#include "rx-clinic.h"

G_BEGIN_DECLS

#define RX_TYPE_MEDICINES_PAGE (rx_medicines_page_get_type ())

G_DECLARE_FINAL_TYPE (RxMedicinesPage, rx_medicines_page, RX, MEDICINES_PAGE, GtkWidget)

RxClinic   *rx_medicines_page_get_clinic   (RxMedicinesPage *self);
void        rx_medicines_page_set_clinic   (RxMedicinesPage *self,
                                            RxClinic        *clinic);
gboolean    rx_medicines_page_get_busy     (RxMedicinesPage *self);
GListModel *rx_medicines_page_get_results  (RxMedicinesPage *self);
void        rx_medicines_page_focus_search (RxMedicinesPage *self);
void        rx_medicines_page_search       (RxMedicinesPage *self,
                                            const char      *text);

G_END_DECLS
