/* rx-cli.h: what every rxdesk-cli command shares: the open clinic, --json, output helpers. */
#pragma once

#include <json-glib/json-glib.h>

#include "rx-core.h"

G_BEGIN_DECLS

enum
{
  RX_CLI_OK = 0,
  RX_CLI_FAILED = 1,        /* the operation failed */
  RX_CLI_USAGE = 2,         /* the command line is wrong */
  RX_CLI_VERIFY_FAILED = 3, /* a verify command found a problem */
};

typedef struct
{
  char     *db_path;
  gboolean  json;
  char     *actor;
  RxDb     *db;
  gboolean  needs_db;   /* open the clinic once the command line parsed cleanly */
  int       exit_code;  /* what to exit with when rx_cli_parse fails */
} RxCli;

typedef struct
{
  const char *name;      /* "patient" */
  const char *sub;       /* "add", or NULL */
  const char *usage;     /* "--name NAME --dob YYYY-MM-DD [--sex M|F|X] [--allergy CLASS]..." */
  const char *summary;
  gboolean    needs_db;
  int       (*run) (RxCli *cli, int argc, char **argv);
} RxCliCommand;

int       rx_cli_fail            (RxCli        *cli,
                                  int           code,
                                  const char   *format,
                                  ...) G_GNUC_PRINTF (3, 4);
int       rx_cli_fail_error      (RxCli        *cli,
                                  const GError *error);
gboolean  rx_cli_parse           (RxCli        *cli,
                                  const char   *command,
                                  GOptionEntry *entries,
                                  int          *argc,
                                  char       ***argv,
                                  int           min_args,
                                  int           max_args,
                                  const char   *args_usage);
gboolean  rx_cli_open_db         (RxCli        *cli,
                                  GError      **error);
void      rx_cli_print_json      (JsonBuilder  *builder);
char     *rx_cli_read_secret     (const char   *prompt,
                                  gboolean      from_stdin,
                                  GError      **error);
char     *rx_cli_format_money    (gint64        minor);
char     *rx_cli_pad             (const char   *text,
                                  guint         width);

void      rx_cli_json_patient    (JsonBuilder  *b,
                                  RxPatient    *patient,
                                  gboolean      with_allergies);
void      rx_cli_json_product    (JsonBuilder  *b,
                                  RxProduct    *product);
void      rx_cli_json_user       (JsonBuilder  *b,
                                  RxUser       *user);
void      rx_cli_json_alerts     (JsonBuilder  *b,
                                  GListModel   *alerts);
void      rx_cli_print_alerts    (GListModel   *alerts,
                                  gboolean      to_stderr);

/* Command tables, one per file. */
extern const RxCliCommand rx_cli_clinic_commands[];
extern const RxCliCommand rx_cli_drug_commands[];
extern const RxCliCommand rx_cli_patient_commands[];
extern const RxCliCommand rx_cli_user_commands[];
extern const RxCliCommand rx_cli_stock_commands[];
extern const RxCliCommand rx_cli_rx_commands[];
extern const RxCliCommand rx_cli_check_commands[];
extern const RxCliCommand rx_cli_feedback_commands[];
extern const RxCliCommand rx_cli_formulary_commands[];
extern const RxCliCommand rx_cli_gs1_commands[];
extern const RxCliCommand rx_cli_invoice_commands[];
extern const RxCliCommand rx_cli_cert_commands[];
extern const RxCliCommand rx_cli_chat_commands[];
extern const RxCliCommand rx_cli_sync_commands[];
extern const RxCliCommand rx_cli_dispense_commands[];
extern const RxCliCommand rx_cli_report_commands[];

G_END_DECLS
