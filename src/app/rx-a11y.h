/* rx-a11y.h: what screen readers hear, where GTK 4.8 gets it wrong. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void rx_a11y_set_button_label  (GtkButton *button,
                                const char *label);
void rx_a11y_fix_button_labels (GtkWidget *root);

G_END_DECLS
