/* vigie-feed-rss.c — RSS 2.0, RSS 1.0 and Atom feeds of open events.
 *
 * Owns the reading of feeds where every item is an open event, as Meta's
 * outage-events feeds (metastatus.com) and Azure's status feed: no item
 * means all clear. Read through GMarkup, which expands no external or
 * user-defined entity; descriptions are HTML and are reduced to text
 * (vigie-feed-text.c).
 *
 * Vocabulary. Such feeds have no status words, only titles and bodies
 * written for people (RSS 2.0 https://www.rssboard.org/rss-specification,
 * Atom RFC 4287): the level is read from the words a publisher uses for
 * a full outage.
 *
 *   what the item says                                  Vigie
 *   no item                                             OPERATIONAL
 *   title or description has the word outage(s),
 *   down, major or unavailable, and the title does
 *   not say partial(ly), minor or degraded              MAJOR
 *   any other item                                      MINOR
 *
 * Words are whole ASCII words ("down" is not in "slowdown"). The root
 * must be rss, RDF or feed, else WRONG_TYPE: Meta answers 200 with an HTML
 * page for unknown paths. started_at = pubDate (RFC 822) / published,
 * updated_at = updated, or started_at.
 *
 * Filter: ignored (such feeds are per product).
 */
#define G_LOG_DOMAIN "vigie-feeds"

#include "config.h"

#include <string.h>

#include "vigie-feed-private.h"

typedef enum
{
  RSS_FIELD_NONE,
  RSS_FIELD_TITLE,
  RSS_FIELD_LINK,
  RSS_FIELD_DESCRIPTION,
  RSS_FIELD_CONTENT,
  RSS_FIELD_PUBLISHED,
  RSS_FIELD_UPDATED,
} RssField;

typedef struct
{
  char *title;
  char *link;
  char *description;
  char *content;
  char *published;
  char *updated;
} RssItem;

static void
rss_item_free (RssItem *item)
{
  if (item == NULL)
    return;
  g_free (item->title);
  g_free (item->link);
  g_free (item->description);
  g_free (item->content);
  g_free (item->published);
  g_free (item->updated);
  g_free (item);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RssItem, rss_item_free)

/* Field texts are cut here already: a description is shown in a
 * notification, not archived. */
#define RSS_MAX_FIELD_BYTES (64 * 1024)

typedef struct
{
  guint      depth;
  gboolean   seen_root;
  gboolean   is_atom;
  RssItem   *item;        /* item or entry being read, or NULL */
  guint      item_depth;
  RssField   field;       /* field of @item being read */
  guint      field_depth;
  gboolean   field_html;
  GString   *text;
  GPtrArray *items;       /* RssItem* */
} RssState;

static const char *
local_name (const char *element_name)
{
  const char *colon = strrchr (element_name, ':');

  return colon != NULL ? colon + 1 : element_name;
}

static const char *
find_attribute (const char **names,
                const char **values,
                const char  *wanted)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      if (strcmp (local_name (names[i]), wanted) == 0)
        return values[i];
    }
  return NULL;
}

static void
rss_start_element (GMarkupParseContext  *context,
                   const char           *element_name,
                   const char          **attribute_names,
                   const char          **attribute_values,
                   gpointer              user_data,
                   GError              **error)
{
  RssState *state = user_data;
  const char *name = local_name (element_name);
  const char *type;

  state->depth++;
  if (state->depth > VIGIE_FEED_MAX_DEPTH)
    {
      g_set_error (error, VIGIE_FEED_ERROR, VIGIE_FEED_ERROR_TOO_DEEP,
                   "elements nested deeper than %d levels", VIGIE_FEED_MAX_DEPTH);
      return;
    }

  if (state->depth == 1)
    {
      state->seen_root = TRUE;
      /* An HTML error page that happens to be well-formed must not read
       * as "no open events". */
      if (strcmp (name, "rss") != 0 && strcmp (name, "RDF") != 0 && strcmp (name, "feed") != 0)
        g_set_error (error, VIGIE_FEED_ERROR, VIGIE_FEED_ERROR_WRONG_TYPE,
                     "root element is <%s>, expected <rss>, <rdf:RDF> or <feed>", element_name);
      state->is_atom = strcmp (name, "feed") == 0;
      return;
    }

  if (state->field != RSS_FIELD_NONE)
    {
      /* Atom xhtml content: child elements are markup, keep words apart. */
      g_string_append_c (state->text, ' ');
      return;
    }

  if (state->item == NULL)
    {
      if (strcmp (name, "item") == 0 || strcmp (name, "entry") == 0)
        {
          state->item = g_new0 (RssItem, 1);
          state->item_depth = state->depth;
        }
      return;
    }

  if (state->depth != state->item_depth + 1)
    return;

  type = find_attribute (attribute_names, attribute_values, "type");
  if (strcmp (name, "title") == 0)
    {
      state->field = RSS_FIELD_TITLE;
      state->field_html = g_strcmp0 (type, "html") == 0;
    }
  else if (strcmp (name, "link") == 0)
    {
      const char *href = find_attribute (attribute_names, attribute_values, "href");
      const char *rel = find_attribute (attribute_names, attribute_values, "rel");

      if (href != NULL)
        {
          if (state->item->link == NULL && (rel == NULL || strcmp (rel, "alternate") == 0))
            state->item->link = g_strdup (href);
        }
      else
        state->field = RSS_FIELD_LINK;
      state->field_html = FALSE;
    }
  else if (strcmp (name, "description") == 0 || strcmp (name, "summary") == 0)
    {
      state->field = RSS_FIELD_DESCRIPTION;
      /* RSS descriptions are HTML; Atom says so with type="html". */
      state->field_html = !state->is_atom || g_strcmp0 (type, "html") == 0;
    }
  else if (strcmp (name, "content") == 0 || strcmp (name, "encoded") == 0)
    {
      state->field = RSS_FIELD_CONTENT;
      state->field_html = strcmp (name, "encoded") == 0 || g_strcmp0 (type, "html") == 0;
    }
  else if (strcmp (name, "pubDate") == 0 || strcmp (name, "published") == 0 ||
           strcmp (name, "date") == 0 || strcmp (name, "issued") == 0)
    {
      state->field = RSS_FIELD_PUBLISHED;
      state->field_html = FALSE;
    }
  else if (strcmp (name, "updated") == 0 || strcmp (name, "modified") == 0)
    {
      state->field = RSS_FIELD_UPDATED;
      state->field_html = FALSE;
    }

  if (state->field != RSS_FIELD_NONE)
    {
      state->field_depth = state->depth;
      g_string_truncate (state->text, 0);
    }
}

static void
rss_store_field (RssState *state)
{
  char **slot = NULL;
  char *value;

  switch (state->field)
    {
    case RSS_FIELD_TITLE:
      slot = &state->item->title;
      break;
    case RSS_FIELD_LINK:
      slot = &state->item->link;
      break;
    case RSS_FIELD_DESCRIPTION:
      slot = &state->item->description;
      break;
    case RSS_FIELD_CONTENT:
      slot = &state->item->content;
      break;
    case RSS_FIELD_PUBLISHED:
      slot = &state->item->published;
      break;
    case RSS_FIELD_UPDATED:
      slot = &state->item->updated;
      break;
    case RSS_FIELD_NONE:
    default:
      return;
    }

  /* First occurrence wins (e.g. dc:date after pubDate). */
  if (*slot != NULL)
    return;
  if (state->field_html)
    value = feed_html_to_text (state->text->str);
  else if (state->field == RSS_FIELD_DESCRIPTION || state->field == RSS_FIELD_CONTENT)
    value = feed_squeeze_spaces (state->text->str);
  else
    value = g_strdup (state->text->str);
  *slot = value;
}

static void
rss_end_element (GMarkupParseContext  *context,
                 const char           *element_name,
                 gpointer              user_data,
                 GError              **error)
{
  RssState *state = user_data;

  if (state->field != RSS_FIELD_NONE && state->depth == state->field_depth)
    {
      rss_store_field (state);
      state->field = RSS_FIELD_NONE;
    }
  else if (state->item != NULL && state->depth == state->item_depth)
    {
      g_ptr_array_add (state->items, state->item);
      state->item = NULL;
    }
  state->depth--;
}

static void
rss_text (GMarkupParseContext  *context,
          const char           *text,
          gsize                 text_len,
          gpointer              user_data,
          GError              **error)
{
  RssState *state = user_data;
  gsize n;

  if (state->field == RSS_FIELD_NONE || state->text->len >= RSS_MAX_FIELD_BYTES)
    return;
  /* Cut on a character boundary: a lone lead byte at the end would make
   * the passes over the field step over its NUL. */
  n = MIN (text_len, RSS_MAX_FIELD_BYTES - state->text->len);
  if (n < text_len)
    {
      while (n > 0 && ((guchar) text[n] & 0xC0) == 0x80)
        n--;
    }
  g_string_append_len (state->text, text, (gssize) n);
}

static VigieOfficialLevel
rss_item_level (const char *title,
                const char *description)
{
  static const char *const major_words[] = { "outage", "outages", "down", "major", "unavailable", NULL };
  static const char *const minor_words[] = { "partial", "partially", "minor", "degraded", NULL };

  if ((feed_has_word (title, major_words) || feed_has_word (description, major_words)) &&
      !feed_has_word (title, minor_words))
    return VIGIE_OFFICIAL_MAJOR;
  return VIGIE_OFFICIAL_MINOR;
}

gboolean
vigie_feed_parse_rss (VigieFeedCtx  *ctx,
                      GError       **error)
{
  static const GMarkupParser parser = {
    rss_start_element,
    rss_end_element,
    rss_text,
    NULL,
    NULL,
  };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) rss_item_free);
  g_autoptr(GString) field_text = g_string_new (NULL);
  g_autoptr(RssItem) unfinished = NULL;
  g_autoptr(GError) local_error = NULL;
  RssState state = { 0, };
  gboolean ok;

  state.text = field_text;
  state.items = items;

  /* GMarkup knows only the five predefined entities and character
   * references: no DTD, no external entity, nothing to expand. */
  context = g_markup_parse_context_new (&parser, G_MARKUP_TREAT_CDATA_AS_TEXT, &state, NULL);
  ok = g_markup_parse_context_parse (context, ctx->text, (gssize) ctx->len, &local_error) &&
       g_markup_parse_context_end_parse (context, &local_error);
  unfinished = g_steal_pointer (&state.item);

  /* GMarkup accepts a document made only of comments: that is no feed. */
  if (ok && !state.seen_root)
    {
      g_set_error_literal (error, VIGIE_FEED_ERROR, VIGIE_FEED_ERROR_INVALID,
                           "not a feed: no root element");
      return FALSE;
    }
  if (!ok)
    {
      if (local_error->domain == VIGIE_FEED_ERROR)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        {
          /* GMarkup quotes the document, down to a single byte of a
           * multi-byte character, escape sequences included. */
          g_autofree char *message = feed_clean_text (local_error->message, VIGIE_FEED_MAX_TITLE_CHARS);

          g_set_error (error, VIGIE_FEED_ERROR, VIGIE_FEED_ERROR_INVALID,
                       "not a well-formed feed: %s", message);
        }
      return FALSE;
    }

  /* Every item of such a feed is an open event: none means all clear. */
  feed_raise_level (ctx->report, VIGIE_OFFICIAL_OPERATIONAL);

  for (guint i = 0; i < items->len; i++)
    {
      RssItem *item = g_ptr_array_index (items, i);
      const char *description = item->description != NULL ? item->description : item->content;
      VigieFeedIncident *incident;

      incident = feed_incident_new (item->title, NULL, NULL, rss_item_level (item->title, description));
      incident->url = feed_clean_url (item->link);
      incident->latest_update = feed_clean_text (description, VIGIE_FEED_MAX_UPDATE_CHARS);
      incident->started_at = feed_parse_any_time (item->published);
      incident->updated_at = feed_parse_any_time (item->updated);
      if (incident->started_at == 0)
        incident->started_at = incident->updated_at;
      if (incident->updated_at == 0)
        incident->updated_at = incident->started_at;
      if (incident->latest_update != NULL && *incident->latest_update == '\0')
        g_clear_pointer (&incident->latest_update, g_free);
      feed_add_incident (ctx, incident);
    }

  return TRUE;
}
