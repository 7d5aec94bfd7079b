/* rx-cli-chat.c: chat with the clinic's assistant, one message a line on stdin. */
#define G_LOG_DOMAIN "rx-cli"

#include "config.h"

#include <stdio.h>

#include "rx-chat-engine.h"
#include "rx-cli.h"

static int
cmd_chat (RxCli  *cli,
          int     argc,
          char  **argv)
{
  g_autofree char *patient_ref = NULL;
  g_autoptr(RxPatient) patient = NULL;
  g_autoptr(RxChatEngine) engine = NULL;
  g_autoptr(RxChatState) state = NULL;
  g_autoptr(GError) error = NULL;
  char line[4096];
  GOptionEntry entries[] = {
    { "patient", 0, 0, G_OPTION_ARG_STRING, &patient_ref,
      "Who is chatting: a patient id or record number (needed to order or book)", "ID" },
    { NULL }
  };

  if (!rx_cli_parse (cli, "chat", entries, &argc, &argv, 0, 0, "[--patient ID]"))
    return cli->exit_code;

  if (patient_ref != NULL)
    {
      patient = rx_patients_get (cli->db, patient_ref, &error);
      if (patient == NULL)
        return rx_cli_fail_error (cli, error);
    }

  engine = rx_chat_engine_new (cli->db, &error);
  if (engine == NULL)
    return rx_cli_fail_error (cli, error);
  state = rx_chat_state_new (patient ? rx_patient_get_id (patient) : NULL);

  while (fgets (line, sizeof line, stdin) != NULL)
    {
      g_autoptr(RxChatTurn) turn = NULL;

      g_strstrip (line);
      if (line[0] == '\0')
        continue;
      turn = rx_chat_engine_reply (engine, state, line, &error);
      if (turn == NULL)
        return rx_cli_fail_error (cli, error);

      if (cli->json)
        {
          g_autoptr(JsonNode) node = rx_chat_turn_to_json (turn);
          g_autofree char *text = json_to_string (node, FALSE);

          g_print ("%s\n", text);
        }
      else
        g_print ("assistant: %s\n", turn->reply);
      fflush (stdout);
    }

  return RX_CLI_OK;
}

const RxCliCommand rx_cli_chat_commands[] = {
  { "chat", NULL, "[--patient ID]",
    "Chat with the clinic's assistant: one message a line on stdin, one reply a line", TRUE,
    cmd_chat },
  { NULL }
};
