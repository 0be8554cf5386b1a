/* vigie-history-export.c — the outage log for people and scripts: reading a
 * --since value, and writing outages as CSV or JSON (contract in
 * vigie-history.h). Plain text in and out: no SQLite here.
 */
#define G_LOG_DOMAIN "vigie-history"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "vigie-history.h"
#include "vigie-json-writer.h"

/* ---- --since ----------------------------------------------------------- */

static gboolean
all_digits (const char *s,
            gsize       n)
{
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

static void
set_since_error (GError     **error,
                 const char  *text)
{
  g_set_error (error, VIGIE_HISTORY_ERROR, VIGIE_HISTORY_ERROR_INVALID_TIME,
               _("“%s” is not a time Vigie understands. Use a duration back from now "
                 "such as 90m, 24h, 7d or 2w, a date such as 2021-10-04, or a date and "
                 "time such as 2021-10-04T17:39:00"),
               text);
}

/**
 * vigie_history_parse_since:
 * @text: what the user typed
 * @now_us: the current wall-clock time, µs since the epoch
 * @since_us: (out): the time meant, µs since the epoch
 * @error: return location for %VIGIE_HISTORY_ERROR_INVALID_TIME
 *
 * Reads a `--since` value: a duration back from @now_us — digits then `m`
 * (minutes), `h`, `d` or `w` (weeks): "90m", "24h", "7d", "2w" — or an
 * ISO 8601 date ("2021-10-04", local midnight) or date and time
 * ("2021-10-04T17:39:00", local time unless it carries "Z" or an offset;
 * a space may stand for the "T"). Times after @now_us are refused.
 *
 * Returns: %TRUE if @text was understood
 */
gboolean
vigie_history_parse_since (const char  *text,
                           gint64       now_us,
                           gint64      *since_us,
                           GError     **error)
{
  g_autofree char *s = NULL;
  g_autoptr(GDateTime) dt = NULL;
  gint64 result;
  gsize len;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (since_us != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  s = g_strstrip (g_strdup (text));
  len = strlen (s);

  if (len >= 2 && all_digits (s, len - 1))
    {
      guint64 unit;
      guint64 n;

      switch (g_ascii_tolower (s[len - 1]))
        {
        case 'm': unit = 60 * G_USEC_PER_SEC; break;
        case 'h': unit = 3600 * (guint64) G_USEC_PER_SEC; break;
        case 'd': unit = 86400 * (guint64) G_USEC_PER_SEC; break;
        case 'w': unit = 7 * 86400 * (guint64) G_USEC_PER_SEC; break;
        default:
          set_since_error (error, text);
          return FALSE;
        }
      s[len - 1] = '\0';
      /* Bounded so the product can't overflow, and reaching back before
       * 1970 is refused rather than wrapped. */
      if (!g_ascii_string_to_unsigned (s, 10, 0, G_MAXINT64 / unit, &n, NULL)
          || now_us < 0 || n * unit > (guint64) now_us)
        {
          set_since_error (error, text);
          return FALSE;
        }
      *since_us = now_us - (gint64) (n * unit);
      return TRUE;
    }

  if (len == 10 && all_digits (s, 4) && s[4] == '-' && all_digits (s + 5, 2) && s[7] == '-'
      && all_digits (s + 8, 2))
    {
      int year = (int) g_ascii_strtoll (s, NULL, 10);
      int month = (int) g_ascii_strtoll (s + 5, NULL, 10);
      int day = (int) g_ascii_strtoll (s + 8, NULL, 10);

      /* NULL for impossible dates (2021-02-30), unlike mktime(). */
      dt = g_date_time_new_local (year, month, day, 0, 0, 0);
    }
  else
    {
      g_autoptr(GTimeZone) local = g_time_zone_new_local ();

      dt = g_date_time_new_from_iso8601 (s, local);
    }
  if (dt == NULL)
    {
      set_since_error (error, text);
      return FALSE;
    }

  result = g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
  if (result > now_us)
    {
      g_set_error (error, VIGIE_HISTORY_ERROR, VIGIE_HISTORY_ERROR_INVALID_TIME,
                   _("“%s” is in the future"), text);
      return FALSE;
    }
  *since_us = result;
  return TRUE;
}

/* ---- export ------------------------------------------------------------ */

/* ISO 8601 in local time with its offset, to the second:
 * 2021-10-04T17:39:00+02:00. Spreadsheets and people both read it. */
static char *
format_local_time (gint64 us)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (us / G_USEC_PER_SEC);

  if (dt == NULL)
    return g_strdup ("");
  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S%:z");
}

static gint64
outage_duration_s (const VigieOutage *outage,
                   gint64             now_us)
{
  gint64 end_us = outage->end_us != 0 ? outage->end_us : now_us;

  return MAX (end_us - outage->start_us, 0) / G_USEC_PER_SEC;
}

/* RFC 4180: quoted only when needed, quotes doubled. Line breaks inside a
 * field are kept: LibreOffice and Excel read them within quotes. Text is
 * written as stored (made valid UTF-8), except that a field starting with
 * = + - @, a tab or a carriage return gets a ' in front, so a spreadsheet
 * shows it as text instead of running it as a formula. */
static void
csv_field (GString    *out,
           const char *value)
{
  g_autofree char *valid = NULL;

  if (value == NULL)
    return;
  valid = g_utf8_make_valid (value, -1);
  /* Incident titles come from vendors' feeds: a field a spreadsheet would
   * read as a formula is turned back into text (OWASP's CSV injection advice). */
  if (strchr ("=+-@\t\r", valid[0]) != NULL && valid[0] != '\0')
    {
      g_autofree char *quoted = g_strconcat ("'", valid, NULL);
      g_free (valid);
      valid = g_steal_pointer (&quoted);
    }
  if (strpbrk (valid, ",\"\r\n") == NULL)
    {
      g_string_append (out, valid);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = valid; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/**
 * vigie_history_format_csv:
 * @outages: (element-type VigieOutage): outages, as from vigie_history_outages()
 * @now_us: the current time, for the duration of ongoing outages
 *
 * RFC 4180 CSV: a header row, CRLF line ends, UTF-8 without BOM, times in
 * local ISO 8601 with offset. Columns: service_id, service, provider,
 * state, start, end (empty while ongoing), duration_seconds (up to @now_us
 * while ongoing), layer, reason, official_incident, incident_url. A field
 * that starts with = + - @, a tab or a carriage return is written with a '
 * in front, so that spreadsheets do not read it as a formula.
 *
 * Returns: (transfer full): the CSV text
 */
char *
vigie_history_format_csv (GPtrArray *outages,
                          gint64     now_us)
{
  GString *out;

  g_return_val_if_fail (outages != NULL, NULL);

  out = g_string_new ("service_id,service,provider,state,start,end,duration_seconds,"
                      "layer,reason,official_incident,incident_url\r\n");
  for (guint i = 0; i < outages->len; i++)
    {
      const VigieOutage *outage = g_ptr_array_index (outages, i);
      g_autofree char *start = format_local_time (outage->start_us);
      g_autofree char *end = outage->end_us != 0 ? format_local_time (outage->end_us) : NULL;

      csv_field (out, outage->service_id);
      g_string_append_c (out, ',');
      csv_field (out, outage->service_name);
      g_string_append_c (out, ',');
      csv_field (out, outage->provider);
      g_string_append_c (out, ',');
      csv_field (out, vigie_state_to_string (outage->state));
      g_string_append_c (out, ',');
      csv_field (out, start);
      g_string_append_c (out, ',');
      csv_field (out, end);
      g_string_append_printf (out, ",%" G_GINT64_FORMAT ",", outage_duration_s (outage, now_us));
      csv_field (out, vigie_layer_to_string (outage->layer));
      g_string_append_c (out, ',');
      csv_field (out, outage->reason);
      g_string_append_c (out, ',');
      csv_field (out, outage->incident_title);
      g_string_append_c (out, ',');
      csv_field (out, outage->incident_url);
      g_string_append (out, "\r\n");
    }
  return g_string_free (out, FALSE);
}

/**
 * vigie_history_format_json:
 * @outages: (element-type VigieOutage): outages, as from vigie_history_outages()
 * @now_us: the current time, for the duration of ongoing outages
 *
 * A JSON array with one object per outage, members as the CSV columns
 * (missing text is null), plus "ongoing"; an ongoing outage has "end": null.
 *
 * Returns: (transfer full): the JSON text, ending with a newline
 */
char *
vigie_history_format_json (GPtrArray *outages,
                           gint64     now_us)
{
  g_autoptr(VigieJsonWriter) writer = vigie_json_writer_new ();

  g_return_val_if_fail (outages != NULL, NULL);

  vigie_json_writer_begin_array (writer);
  for (guint i = 0; i < outages->len; i++)
    {
      const VigieOutage *outage = g_ptr_array_index (outages, i);
      g_autofree char *start = format_local_time (outage->start_us);
      g_autofree char *end = outage->end_us != 0 ? format_local_time (outage->end_us) : NULL;

      vigie_json_writer_begin_object (writer);
      vigie_json_writer_member_string (writer, "service_id", outage->service_id);
      vigie_json_writer_member_string (writer, "service", outage->service_name);
      vigie_json_writer_member_string (writer, "provider", outage->provider);
      vigie_json_writer_member_string (writer, "state", vigie_state_to_string (outage->state));
      vigie_json_writer_member_string (writer, "start", start);
      vigie_json_writer_member_string (writer, "end", end);
      vigie_json_writer_key (writer, "ongoing");
      vigie_json_writer_boolean (writer, outage->end_us == 0);
      vigie_json_writer_key (writer, "duration_seconds");
      vigie_json_writer_int (writer, outage_duration_s (outage, now_us));
      vigie_json_writer_member_string (writer, "layer", vigie_layer_to_string (outage->layer));
      vigie_json_writer_member_string (writer, "reason", outage->reason);
      vigie_json_writer_member_string (writer, "official_incident", outage->incident_title);
      vigie_json_writer_member_string (writer, "incident_url", outage->incident_url);
      vigie_json_writer_end_object (writer);
    }
  vigie_json_writer_end_array (writer);
  return vigie_json_writer_steal (writer);
}
