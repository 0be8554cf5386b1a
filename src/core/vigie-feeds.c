/* vigie-feeds.c — official status feed kinds and parsers. */
#define G_LOG_DOMAIN "vigie-feeds"

#include "config.h"

#include "vigie-feeds.h"

static const char *const feed_kind_names[] = {
  [VIGIE_FEED_NONE] = "none",
  [VIGIE_FEED_STATUSPAGE] = "statuspage",
  [VIGIE_FEED_INCIDENTIO] = "incidentio",
  [VIGIE_FEED_INSTATUS] = "instatus",
  [VIGIE_FEED_BETTERSTACK] = "betterstack",
  [VIGIE_FEED_SLACK] = "slack",
  [VIGIE_FEED_GOOGLE] = "google",
  [VIGIE_FEED_RSS] = "rss",
};

/**
 * vigie_feed_kind_to_string:
 * @kind: a #VigieFeedKind
 *
 * Returns: (transfer none): the kind's name as written in settings files
 */
const char *
vigie_feed_kind_to_string (VigieFeedKind kind)
{
  g_return_val_if_fail (kind < G_N_ELEMENTS (feed_kind_names), "none");
  return feed_kind_names[kind];
}

/**
 * vigie_feed_kind_from_string:
 * @str: a kind name such as "statuspage"
 * @out_kind: (out): where to store the kind
 *
 * Returns: %TRUE if @str names a known kind
 */
gboolean
vigie_feed_kind_from_string (const char    *str,
                             VigieFeedKind *out_kind)
{
  g_return_val_if_fail (out_kind != NULL, FALSE);

  if (str == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (feed_kind_names); i++)
    {
      if (g_strcmp0 (str, feed_kind_names[i]) == 0)
        {
          *out_kind = (VigieFeedKind) i;
          return TRUE;
        }
    }
  return FALSE;
}
