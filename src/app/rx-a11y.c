/* rx-a11y.c: GTK 4.8 gives a button with a mnemonic label ("_Save") the raw text as its
 * accessible label on top of the label it shows, so screen readers (and the accessibility
 * tests) hear "_Save Save". Dropping the raw one leaves the shown label to name it. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include "rx-a11y.h"

/* Sets a mnemonic label ("_Register Patient") that is read without its underscore. */
void
rx_a11y_set_button_label (GtkButton  *button,
                          const char *label)
{
  g_return_if_fail (GTK_IS_BUTTON (button));

  gtk_button_set_label (button, label);
  if (gtk_button_get_use_underline (button))
    gtk_accessible_reset_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

/* The same for every button with a mnemonic label under @root, e.g. once a template is
 * built. */
void
rx_a11y_fix_button_labels (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if (GTK_IS_BUTTON (root) && gtk_button_get_use_underline (GTK_BUTTON (root)) &&
      gtk_button_get_label (GTK_BUTTON (root)) != NULL)
    gtk_accessible_reset_property (GTK_ACCESSIBLE (root), GTK_ACCESSIBLE_PROPERTY_LABEL);

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    rx_a11y_fix_button_labels (child);
}
