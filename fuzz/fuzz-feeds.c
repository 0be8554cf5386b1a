/* fuzz-feeds.c — libFuzzer target for the official status feed parsers.
 *
 * Input layout: one selector byte, then the feed body.
 *
 *   bits 0-2  feed kind: 1 + (bits % 7), so 0 = statuspage, 1 = incidentio,
 *             2 = instatus, 3 = betterstack, 4 = slack, 5 = google, 6 = rss
 *             (7 wraps to statuspage)
 *   bits 3-5  filter, an index into filters[] (0 = no filter)
 *   bits 6-7  feed URL given to vigie_feed_report_resolve_links(), an index
 *             into feed_urls[]
 *
 * The seeds in corpus/feeds/ use the high bits 0 (no filter, https base),
 * so their first byte is simply the kind index.
 *
 * Besides memory errors (ASan) and undefined behaviour (UBSan), the target
 * checks the output contract stated in vigie-feeds.h: valid UTF-8, no
 * control characters but newline and tab, trimmed, capped lengths, http(s)
 * or relative links only, at most VIGIE_FEED_MAX_ITEMS per list, newest
 * first, a level no better than any kept item, a copy equal to the
 * original. A broken promise aborts with a message saying which.
 *
 * VIGIE_FUZZ_KNOWN="substring|substring" skips the checks whose message
 * contains one of the substrings, so that a long run can go on past bugs
 * already reported.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "fuzz-common.h"

#include "vigie-feeds.h"
#include "vigie-report.h"
#include "vigie-text.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* 2021-10-04T16:00:00Z, the "now" of tests/test-feeds.c, so that the
 * Google fixtures have current incidents. */
#define FUZZ_NOW ((gint64) 1633363200)

static const char *const filters[8] = {
  NULL,
  "Gmail",
  "Login",
  "Web App",
  "Huddles",
  "  google DRIVE ",
  "Application",
  "", /* an empty filter means no filter */
};

static const char *const feed_urls[4] = {
  "https://www.google.com/appsstatus/dashboard/incidents.json",
  NULL,
  "http://status.example.com:8080/a/b/c?x=1#frag",
  "javascript:alert(1)//", /* an odd base must not sneak its scheme back in */
};

/* Every stored string: valid UTF-8, no controls but \n and \t (C1 included),
 * no bidi formatting character, no leading/trailing ASCII white space, at
 * most @max_chars characters. */
static void
check_text (const char *what,
            const char *text,
            gsize       max_chars)
{
  gsize n_chars = 0;

  if (text == NULL)
    return;
  CHECK (g_utf8_validate (text, -1, NULL), "%s is not valid UTF-8", what);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      CHECK (!((c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c < 0xa0)),
             "%s holds control character U+%04X", what, c);
      CHECK (!vigie_text_is_bidi_control (c), "%s holds bidi formatting character U+%04X",
             what, c);
      n_chars++;
    }
  CHECK (n_chars <= max_chars, "%s has %" G_GSIZE_FORMAT " characters, cap is %" G_GSIZE_FORMAT,
         what, n_chars, max_chars);
  if (*text != '\0')
    {
      CHECK (!g_ascii_isspace (text[0]), "%s starts with white space", what);
      CHECK (!g_ascii_isspace (text[strlen (text) - 1]), "%s ends with white space", what);
    }
}

static gboolean
is_web_scheme (const char *scheme)
{
  return g_strcmp0 (scheme, "http") == 0 || g_strcmp0 (scheme, "https") == 0;
}

static void
check_url (const char *what,
           const char *url,
           gboolean    resolved)
{
  const char *scheme;

  if (url == NULL)
    return;
  CHECK (g_utf8_validate (url, -1, NULL), "%s is not valid UTF-8", what);
  for (const char *p = url; *p != '\0'; p = g_utf8_next_char (p))
    CHECK (!vigie_text_is_bidi_control (g_utf8_get_char (p)),
           "%s holds a bidi formatting character", what);
  scheme = g_uri_peek_scheme (url);
  if (resolved)
    {
      CHECK (is_web_scheme (scheme), "%s “%s” is not an absolute http(s) link after "
             "vigie_feed_report_resolve_links()", what, url);
      return;
    }
  CHECK (*url != '\0', "%s is empty instead of NULL", what);
  CHECK (g_utf8_strlen (url, -1) <= VIGIE_FEED_MAX_URL_CHARS, "%s is longer than the cap", what);
  for (const char *p = url; *p != '\0'; p++)
    CHECK ((guchar) *p > 0x20 && *p != 0x7f, "%s holds a space or control byte 0x%02x", what,
           (guchar) *p);
  CHECK (scheme == NULL || is_web_scheme (scheme), "%s has scheme “%s”", what, scheme);
}

static void
check_incident (const char              *list,
                guint                    i,
                const VigieFeedIncident *incident,
                gboolean                 resolved)
{
  char what[64];

  CHECK (incident != NULL, "%s[%u] is NULL", list, i);
  g_snprintf (what, sizeof what, "%s[%u].title", list, i);
  CHECK (incident->title != NULL, "%s is NULL", what);
  check_text (what, incident->title, VIGIE_FEED_MAX_TITLE_CHARS);
  g_snprintf (what, sizeof what, "%s[%u].status", list, i);
  check_text (what, incident->status, VIGIE_FEED_MAX_WORD_CHARS);
  g_snprintf (what, sizeof what, "%s[%u].impact", list, i);
  check_text (what, incident->impact, VIGIE_FEED_MAX_WORD_CHARS);
  g_snprintf (what, sizeof what, "%s[%u].latest_update", list, i);
  check_text (what, incident->latest_update, VIGIE_FEED_MAX_UPDATE_CHARS);
  g_snprintf (what, sizeof what, "%s[%u].url", list, i);
  check_url (what, incident->url, resolved);
  CHECK ((guint) incident->level <= VIGIE_OFFICIAL_MAJOR, "%s[%u].level is %d", list, i,
         incident->level);
}

static void
check_report (const VigieFeedReport *report,
              const char            *filter,
              gboolean               resolved)
{
  g_autofree char *trimmed = filter != NULL ? g_strstrip (g_strdup (filter)) : NULL;
  gboolean filtering = trimmed != NULL && *trimmed != '\0';
  VigieOfficialLevel worst = VIGIE_OFFICIAL_UNKNOWN;

  CHECK ((guint) report->level <= VIGIE_OFFICIAL_MAJOR, "level is %d", report->level);
  CHECK (report->components != NULL && report->incidents != NULL && report->maintenances != NULL,
         "a list is NULL");
  CHECK (report->components->len <= VIGIE_FEED_MAX_ITEMS, "%u components kept",
         report->components->len);
  CHECK (report->incidents->len <= VIGIE_FEED_MAX_ITEMS, "%u incidents kept",
         report->incidents->len);
  CHECK (report->maintenances->len <= VIGIE_FEED_MAX_ITEMS, "%u maintenances kept",
         report->maintenances->len);
  check_text ("description", report->description, VIGIE_FEED_MAX_TITLE_CHARS);
  CHECK (!filtering || report->description == NULL, "description set although filtered");

  for (guint i = 0; i < report->components->len; i++)
    {
      const VigieFeedComponent *c = g_ptr_array_index (report->components, i);
      char what[64];

      CHECK (c != NULL && c->name != NULL, "components[%u] or its name is NULL", i);
      g_snprintf (what, sizeof what, "components[%u].name", i);
      check_text (what, c->name, VIGIE_FEED_MAX_TITLE_CHARS);
      g_snprintf (what, sizeof what, "components[%u].status", i);
      check_text (what, c->status, VIGIE_FEED_MAX_WORD_CHARS);
      CHECK (c->level != VIGIE_OFFICIAL_OPERATIONAL, "components[%u] is operational", i);
      CHECK ((guint) c->level <= VIGIE_OFFICIAL_MAJOR, "components[%u].level is %d", i, c->level);
      worst = MAX (worst, c->level);
    }

  for (guint i = 0; i < report->incidents->len; i++)
    {
      const VigieFeedIncident *incident = g_ptr_array_index (report->incidents, i);

      check_incident ("incidents", i, incident, resolved);
      CHECK (incident->level >= VIGIE_OFFICIAL_MINOR,
             "open incident %u is %s, not at least minor", i,
             vigie_official_level_to_string (incident->level));
      if (i > 0)
        {
          const VigieFeedIncident *prev = g_ptr_array_index (report->incidents, i - 1);
          CHECK (prev->started_at >= incident->started_at, "incidents not newest first at %u", i);
        }
      worst = MAX (worst, incident->level);
    }

  for (guint i = 0; i < report->maintenances->len; i++)
    {
      const VigieFeedIncident *m = g_ptr_array_index (report->maintenances, i);

      check_incident ("maintenances", i, m, resolved);
      CHECK (m->level == VIGIE_OFFICIAL_MAINTENANCE, "maintenance %u is %s", i,
             vigie_official_level_to_string (m->level));
      if (i > 0)
        {
          const VigieFeedIncident *prev = g_ptr_array_index (report->maintenances, i - 1);
          CHECK (prev->started_at >= m->started_at, "maintenances not newest first at %u", i);
        }
      worst = MAX (worst, m->level);
    }

  /* The level is computed over everything, kept or not: never better than
   * what is listed. */
  CHECK (report->level >= worst, "level %s is better than a listed item (%s)",
         vigie_official_level_to_string (report->level), vigie_official_level_to_string (worst));
}

static void
check_same_incidents (const char      *list,
                      const GPtrArray *a,
                      const GPtrArray *b)
{
  CHECK (a->len == b->len, "copy has %u %s, original %u", b->len, list, a->len);
  for (guint i = 0; i < a->len; i++)
    {
      const VigieFeedIncident *x = g_ptr_array_index (a, i);
      const VigieFeedIncident *y = g_ptr_array_index (b, i);

      CHECK (x != y, "copy shares %s[%u] with the original", list, i);
      CHECK (g_strcmp0 (x->title, y->title) == 0 && g_strcmp0 (x->status, y->status) == 0 &&
             g_strcmp0 (x->impact, y->impact) == 0 && g_strcmp0 (x->url, y->url) == 0 &&
             g_strcmp0 (x->latest_update, y->latest_update) == 0 && x->level == y->level &&
             x->started_at == y->started_at && x->updated_at == y->updated_at,
             "copy of %s[%u] differs", list, i);
      CHECK (x->title == NULL || x->title != y->title, "copy shares %s[%u].title", list, i);
    }
}

static void
check_same (const VigieFeedReport *a,
            const VigieFeedReport *b)
{
  CHECK (a != b && a->level == b->level, "copy differs in level");
  CHECK (g_strcmp0 (a->description, b->description) == 0, "copy differs in description");
  CHECK (a->description == NULL || a->description != b->description, "copy shares description");
  CHECK (a->components->len == b->components->len, "copy differs in components");
  for (guint i = 0; i < a->components->len; i++)
    {
      const VigieFeedComponent *x = g_ptr_array_index (a->components, i);
      const VigieFeedComponent *y = g_ptr_array_index (b->components, i);

      CHECK (x != y && g_strcmp0 (x->name, y->name) == 0 && g_strcmp0 (x->status, y->status) == 0
             && x->level == y->level, "copy of components[%u] differs or is shared", i);
    }
  check_same_incidents ("incidents", a->incidents, b->incidents);
  check_same_incidents ("maintenances", a->maintenances, b->maintenances);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_common_init ("fuzz-feeds", "vigie-feeds.h");
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(VigieFeedReport) report = NULL;
  g_autoptr(VigieFeedReport) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *official = NULL;
  g_autofree char *official_copy = NULL;
  VigieFeedKind kind;
  const char *filter;
  const char *feed_url;
  guint8 selector;

  if (size < 1)
    return 0;
  selector = data[0];
  kind = (VigieFeedKind) (VIGIE_FEED_STATUSPAGE + (selector & 0x07) % 7);
  filter = filters[(selector >> 3) & 0x07];
  feed_url = feed_urls[(selector >> 6) & 0x03];
  data++;
  size--;

  report = vigie_feed_parse (kind, data, size, filter, FUZZ_NOW, &error);
  if (report == NULL)
    {
      CHECK (error != NULL, "NULL report without an error");
      CHECK (error->domain == VIGIE_FEED_ERROR, "error outside VIGIE_FEED_ERROR: %s",
             error->message);
      CHECK (error->message != NULL && g_utf8_validate (error->message, -1, NULL),
             "error message is not valid UTF-8");
      /* It ends up in "vigie --check" output and the details window. */
      for (const guchar *p = (const guchar *) error->message; *p != '\0'; p++)
        CHECK (*p >= 0x20 || *p == '\n' || *p == '\t',
               "error message holds control character 0x%02x", *p);
      return 0;
    }
  CHECK (error == NULL, "report and error both set");
  check_report (report, filter, FALSE);

  copy = vigie_feed_report_copy (report);
  check_same (report, copy);

  official = vigie_report_official (report);
  CHECK (official != NULL && g_utf8_validate (official, -1, NULL),
         "vigie_report_official() is not valid UTF-8");

  vigie_feed_report_resolve_links (copy, feed_url);
  check_report (copy, filter, TRUE);
  official_copy = vigie_report_official (copy);
  CHECK (g_strcmp0 (official, official_copy) == 0,
         "resolving links changed vigie_report_official()");

  return 0;
}
