/* fuzz-common.c — the log writer, the known issues and the contract checks
 * of the fuzz targets; see the header. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"

/* Set once by fuzz_common_init(), before the first input. */
static const char *target_name = "fuzz";
static const char *header_name = "the header";

/* Broken promises already reported and not fixed yet, as substrings of
 * their messages separated by '|' (VIGIE_FUZZ_KNOWN="...|..."): they are
 * skipped so that a long run can look for other bugs. */
static char **known_issues;

/**
 * fuzz_is_known:
 * @message: what broke
 *
 * Returns: whether @message contains one of the known issues
 */
gboolean
fuzz_is_known (const char *message)
{
  for (guint i = 0; known_issues != NULL && known_issues[i] != NULL; i++)
    if (*known_issues[i] != '\0' && strstr (message, known_issues[i]) != NULL)
      return TRUE;
  return FALSE;
}

/* A g_critical() or g_warning() from the library (or from GLib on its
 * behalf) is a bug here. */
static GLogWriterOutput
log_writer (GLogLevelFlags   log_level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  GLogWriterOutput ret = g_log_writer_default (log_level, fields, n_fields, user_data);
  g_autofree char *message = NULL;

  if (!(log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)))
    return ret;
  for (gsize i = 0; i < n_fields && message == NULL; i++)
    if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
      message = fields[i].length < 0 ? g_strdup (fields[i].value)
                                     : g_strndup (fields[i].value, fields[i].length);
  if (message != NULL && fuzz_is_known (message))
    return ret;
  fprintf (stderr, "%s: GLib warning or critical, aborting\n", target_name);
  abort ();
}

/**
 * fuzz_contract_broken:
 * @format: what broke, printf-style
 * @...: its arguments
 *
 * Aborts, saying what broke, unless it is a known issue. Use it through
 * CHECK().
 */
void
fuzz_contract_broken (const char *format,
                      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (fuzz_is_known (message))
    return;

  fprintf (stderr, "%s: contract of %s broken: %s\n", target_name, header_name, message);
  abort ();
}

/**
 * fuzz_common_init:
 * @target: the target's name, for messages ("fuzz-feeds"); static
 * @header: the header whose contract it checks ("vigie-feeds.h"); static
 *
 * Call first from LLVMFuzzerInitialize().
 */
void
fuzz_common_init (const char *target,
                  const char *header)
{
  target_name = target;
  header_name = header;
  /* Real allocations for ASan (GLib 2.74 still has the slice allocator). */
  g_setenv ("G_SLICE", "always-malloc", TRUE);
  g_setenv ("G_DEBUG", "gc-friendly", TRUE);
  g_log_set_writer_func (log_writer, NULL, NULL);
  if (g_getenv ("VIGIE_FUZZ_KNOWN") != NULL)
    known_issues = g_strsplit (g_getenv ("VIGIE_FUZZ_KNOWN"), "|", -1);
}
