/* vigie-hooks-event.c — a transition as the hook receives it: the user's
 * environment plus the VIGIE_ variables, and the same event as one JSON
 * object for its standard input. The contract is in vigie-hooks.h.
 */
#define G_LOG_DOMAIN "vigie-hooks"

#include "config.h"

#include <string.h>

#include "vigie-hooks-event.h"
#include "vigie-json-writer.h"

/* Environment strings longer than MAX_ARG_STRLEN (128 KiB) make execve()
 * fail with E2BIG, and remote text (incident titles) can be long; 8 KiB
 * is plenty for a shell script, and stdin has the whole text. */
#define MAX_ENV_VALUE (8 * 1024)

/* Local time with an explicit offset, "+00:00" rather than "Z" in UTC, so
 * scripts can rely on one format. */
static char *
format_time (gint64 usec)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);

  if (time == NULL)
    return NULL;
  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%S%:z");
}

static gint64
duration_seconds (const VigieTransition *transition)
{
  return MAX (transition->at - transition->since, 0) / G_USEC_PER_SEC;
}

/**
 * vigie_hooks_event_json:
 * @transition: the event
 *
 * Returns: (transfer full): the event as one JSON object, as the hook reads
 *   it on its standard input
 */
char *
vigie_hooks_event_json (const VigieTransition *transition)
{
  g_autoptr(VigieJsonWriter) writer = vigie_json_writer_new ();
  g_autofree char *at = format_time (transition->at);
  g_autofree char *since = NULL;

  if (transition->since > 0)
    since = format_time (transition->since);

  vigie_json_writer_begin_object (writer);
  vigie_json_writer_key (writer, "version");
  vigie_json_writer_int (writer, 1);
  vigie_json_writer_member_string (writer, "event",
                                   vigie_transition_kind_to_string (transition->kind));
  vigie_json_writer_member_string (writer, "service_id", transition->service_id);
  vigie_json_writer_member_string (writer, "service_name", transition->service_name);
  vigie_json_writer_member_string (writer, "provider", transition->provider);
  vigie_json_writer_member_string (writer, "from", vigie_state_to_string (transition->from));
  vigie_json_writer_member_string (writer, "to", vigie_state_to_string (transition->to));
  vigie_json_writer_member_string (writer, "at", at);
  vigie_json_writer_member_string (writer, "since", since);
  vigie_json_writer_key (writer, "duration_seconds");
  if (since != NULL)
    vigie_json_writer_int (writer, duration_seconds (transition));
  else
    vigie_json_writer_null (writer);
  vigie_json_writer_member_string (writer, "layer", vigie_layer_to_string (transition->layer));
  vigie_json_writer_key (writer, "http_status");
  vigie_json_writer_int (writer, transition->http_status);
  vigie_json_writer_member_string (writer, "official",
                                   vigie_official_level_to_string (transition->official));
  vigie_json_writer_member_string (writer, "reason", transition->reason);
  vigie_json_writer_member_string (writer, "incident_title", transition->incident_title);
  vigie_json_writer_member_string (writer, "incident_url", transition->incident_url);
  vigie_json_writer_end_object (writer);

  return vigie_json_writer_steal (writer);
}

static char **
setenv_capped (char       **env,
               const char  *name,
               const char  *value)
{
  gsize length = value != NULL ? strlen (value) : 0;
  g_autofree char *cut = NULL;

  if (length > MAX_ENV_VALUE)
    {
      /* Cut on a character boundary, not inside a UTF-8 sequence. */
      length = MAX_ENV_VALUE;
      while (length > 0 && ((guchar) value[length] & 0xC0) == 0x80)
        length--;
      value = cut = g_strndup (value, length);
    }
  return g_environ_setenv (env, name, value != NULL ? value : "", TRUE);
}

/**
 * vigie_hooks_event_environ:
 * @transition: the event
 *
 * The user's environment plus the event. Every VIGIE_ variable is set, so
 * one left over in the user's own environment cannot pose as the event's.
 *
 * Returns: (transfer full): the hook's environment, for
 *   g_subprocess_launcher_set_environ()
 */
char **
vigie_hooks_event_environ (const VigieTransition *transition)
{
  char **env = g_get_environ ();
  g_autofree char *at = format_time (transition->at);
  g_autofree char *since = NULL;
  g_autofree char *duration = NULL;
  g_autofree char *http_status = g_strdup_printf ("%u", transition->http_status);

  if (transition->since > 0)
    {
      since = format_time (transition->since);
      duration = g_strdup_printf ("%" G_GINT64_FORMAT, duration_seconds (transition));
    }

  env = setenv_capped (env, "VIGIE_EVENT", vigie_transition_kind_to_string (transition->kind));
  env = setenv_capped (env, "VIGIE_SERVICE_ID", transition->service_id);
  env = setenv_capped (env, "VIGIE_SERVICE_NAME", transition->service_name);
  env = setenv_capped (env, "VIGIE_PROVIDER", transition->provider);
  env = setenv_capped (env, "VIGIE_FROM", vigie_state_to_string (transition->from));
  env = setenv_capped (env, "VIGIE_TO", vigie_state_to_string (transition->to));
  env = setenv_capped (env, "VIGIE_AT", at);
  env = setenv_capped (env, "VIGIE_SINCE", since);
  env = setenv_capped (env, "VIGIE_DURATION_SECONDS", duration);
  env = setenv_capped (env, "VIGIE_LAYER", vigie_layer_to_string (transition->layer));
  env = setenv_capped (env, "VIGIE_HTTP_STATUS", http_status);
  env = setenv_capped (env, "VIGIE_OFFICIAL",
                       vigie_official_level_to_string (transition->official));
  env = setenv_capped (env, "VIGIE_REASON", transition->reason);
  env = setenv_capped (env, "VIGIE_INCIDENT_TITLE", transition->incident_title);
  env = setenv_capped (env, "VIGIE_INCIDENT_URL", transition->incident_url);
  return env;
}
