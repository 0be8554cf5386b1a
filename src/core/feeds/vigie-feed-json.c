/* vigie-feed-json.c — the guards between a remote JSON body and json-glib.
 *
 * Owns the pre-scan that refuses a hostile document before json-glib ever
 * builds a tree of it (depth, number of values, trailing bytes, scalar
 * roots), the loading itself, and the typed getters every JSON format
 * reads its members with: a structural member of the wrong type fails the
 * parse (an incidents list that changed shape must not read as "no
 * incident"), a descriptive one reads as absent.
 */
#define G_LOG_DOMAIN "vigie-feeds"

#include "config.h"

#include <string.h>

#include "vigie-feed-private.h"

/* ------------------------------------------------------------------------ */
/* Pre-scan and loading                                                      */
/* ------------------------------------------------------------------------ */

/* Depth and number of values outside strings, counted before json-glib
 * (which recurses, and spends about 100 bytes on every node) ever sees the
 * bytes. Every value counts — each array, string (member names too:
 * json-glib copies them) and scalar once, each object
 * VIGIE_FEED_OBJECT_WEIGHT times (its hash table makes it cost four times
 * a number) — since "[1,1,…]" costs as much as "[[],[],…]". Linear, and
 * stops at the first excess. Also refuses a root that is not a container
 * (every feed's root is an object or an array, and json-glib 1.6 leaks
 * whatever follows a top-level scalar, as in "0[...]") and bytes after the
 * top-level container: json-glib would quietly read only the first of two
 * concatenated documents. */
gboolean
feed_json_check (const guint8  *data,
                 gsize          len,
                 GError       **error)
{
  guint depth = 0;
  guint values = 0;
  gboolean in_string = FALSE;
  gboolean escaped = FALSE;
  gboolean closed = FALSE;
  /* Inside a number or literal (123, true): it counts once, at its first
   * byte. */
  gboolean in_scalar = FALSE;
  gsize start = 0;

  while (start < len && g_ascii_isspace (data[start]))
    start++;
  if (start < len && data[start] != '{' && data[start] != '[')
    {
      g_set_error_literal (error, VIGIE_FEED_ERROR, VIGIE_FEED_ERROR_INVALID,
                           "not a JSON object or array");
      return FALSE;
    }

  for (gsize i = start; i < len; i++)
    {
      guint8 c = data[i];
      guint weight = 0;

      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      if (closed && !g_ascii_isspace (c))
        {
          g_set_error (error, VIGIE_FEED_ERROR, VIGIE_FEED_ERROR_INVALID,
                       "unexpected data after the JSON document (at byte %" G_GSIZE_FORMAT ")", i);
          return FALSE;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          in_scalar = FALSE;
          weight = 1;
          break;
        case '[':
        case '{':
          if (++depth > VIGIE_FEED_MAX_DEPTH)
            {
              g_set_error (error, VIGIE_FEED_ERROR, VIGIE_FEED_ERROR_TOO_DEEP,
                           "JSON nested deeper than %d levels (at byte %" G_GSIZE_FORMAT ")",
                           VIGIE_FEED_MAX_DEPTH, i);
              return FALSE;
            }
          in_scalar = FALSE;
          weight = c == '{' ? VIGIE_FEED_OBJECT_WEIGHT : 1;
          break;
        case ']':
        case '}':
          if (depth > 0 && --depth == 0)
            closed = TRUE;
          in_scalar = FALSE;
          break;
        case ',':
        case ':':
        case ' ':
        case '\t':
        case '\n':
        case '\r':
          in_scalar = FALSE;
          break;
        default:
          /* A number, true, false or null — or garbage json-glib will
           * refuse; either way counted once per run of bytes. */
          if (!in_scalar)
            weight = 1;
          in_scalar = TRUE;
          break;
        }

      values += weight;
      if (values > VIGIE_FEED_MAX_VALUES)
        {
          g_set_error (error, VIGIE_FEED_ERROR, VIGIE_FEED_ERROR_TOO_LARGE,
                       "feed too large: more than %d values, far more than a status "
                       "feed holds (at byte %" G_GSIZE_FORMAT ")",
                       VIGIE_FEED_MAX_VALUES, i);
          return FALSE;
        }
    }
  return TRUE;
}

/* Loads a pre-scanned document; the parser owns the tree. */
JsonParser *
feed_json_load (const char  *text,
                gsize        len,
                GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;

  if (!json_parser_load_from_data (parser, text, (gssize) len, &local_error))
    {
      /* json-glib quotes the document: clean its words like a title. */
      g_autofree char *message = feed_clean_text (local_error->message, VIGIE_FEED_MAX_TITLE_CHARS);

      g_set_error (error, VIGIE_FEED_ERROR, VIGIE_FEED_ERROR_INVALID,
                   "not valid JSON: %s", message);
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, VIGIE_FEED_ERROR, VIGIE_FEED_ERROR_INVALID, "empty document");
      return NULL;
    }
  return g_steal_pointer (&parser);
}

/* ------------------------------------------------------------------------ */
/* JSON access: structural members are checked, descriptive ones tolerated   */
/* ------------------------------------------------------------------------ */

VigieOfficialLevel
feed_lookup_level (const FeedLevelName *table,
                   gsize                n_entries,
                   const char          *value)
{
  if (value == NULL)
    return VIGIE_OFFICIAL_UNKNOWN;
  for (gsize i = 0; i < n_entries; i++)
    {
      if (g_ascii_strcasecmp (table[i].name, value) == 0)
        return table[i].level;
    }
  return VIGIE_OFFICIAL_UNKNOWN;
}

gboolean
feed_is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static const char *
describe_node (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      return "an object";
    case JSON_NODE_ARRAY:
      return "an array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
    default:
      break;
    }
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return "a string";
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return "a boolean";
  return "a number";
}

gboolean
feed_wrong_type (GError     **error,
                 const char  *path,
                 JsonNode    *node,
                 const char  *expected)
{
  g_set_error (error, VIGIE_FEED_ERROR, VIGIE_FEED_ERROR_WRONG_TYPE,
               "“%s” is %s, expected %s", path, describe_node (node), expected);
  return FALSE;
}

/* The member's node, or NULL when it is missing or null: feeds write null
 * for "not set" all the time. */
JsonNode *
feed_member (JsonObject *object,
             const char *name)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, name);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return node;
}

/* Structural getters: absent → TRUE with *out = NULL; wrong type → FALSE. */
gboolean
feed_get_object (JsonObject  *object,
                 const char  *name,
                 const char  *path,
                 JsonObject **out,
                 GError     **error)
{
  JsonNode *node = feed_member (object, name);

  *out = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return feed_wrong_type (error, path, node, "an object");
  *out = json_node_get_object (node);
  return TRUE;
}

gboolean
feed_get_array (JsonObject  *object,
                const char  *name,
                const char  *path,
                JsonArray  **out,
                GError     **error)
{
  JsonNode *node = feed_member (object, name);

  *out = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return feed_wrong_type (error, path, node, "an array");
  *out = json_node_get_array (node);
  return TRUE;
}

gboolean
feed_get_string (JsonObject  *object,
                 const char  *name,
                 const char  *path,
                 const char **out,
                 GError     **error)
{
  JsonNode *node = feed_member (object, name);

  *out = NULL;
  if (node == NULL)
    return TRUE;
  if (!feed_is_string (node))
    return feed_wrong_type (error, path, node, "a string");
  *out = json_node_get_string (node);
  return TRUE;
}

/* Element @index of an array that must hold objects; a null element is
 * skipped (TRUE with *out = NULL). */
gboolean
feed_get_element (JsonArray   *array,
                  guint        index_,
                  const char  *array_path,
                  JsonObject **out,
                  GError     **error)
{
  JsonNode *node = json_array_get_element (array, index_);

  *out = NULL;
  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      char path[128];

      g_snprintf (path, sizeof path, "%s[%u]", array_path, index_);
      return feed_wrong_type (error, path, node, "an object");
    }
  *out = json_node_get_object (node);
  return TRUE;
}

/* Descriptive getters: anything but the expected type reads as absent. */
const char *
feed_opt_string (JsonObject *object,
                 const char *name)
{
  JsonNode *node = feed_member (object, name);

  return node != NULL && feed_is_string (node) ? json_node_get_string (node) : NULL;
}

JsonObject *
feed_opt_object (JsonObject *object,
                 const char *name)
{
  JsonNode *node = feed_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
feed_opt_array (JsonObject *object,
                const char *name)
{
  JsonNode *node = feed_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

gboolean
feed_opt_bool (JsonObject *object,
               const char *name)
{
  JsonNode *node = feed_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
         json_node_get_boolean (node);
}

JsonObject *
feed_root_object (JsonNode  *root,
                  GError   **error)
{
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      feed_wrong_type (error, "(document)", root, "an object");
      return NULL;
    }
  return json_node_get_object (root);
}

/* Body of the newest element of @updates, judged by @time_keys (first one
 * present wins); with no usable times the first element wins, which is the
 * order Statuspage and Slack publish. */
char *
feed_newest_body (JsonArray         *updates,
                  const char        *body_key,
                  const char *const *time_keys)
{
  const char *best = NULL;
  gint64 best_time = G_MININT64;

  if (updates == NULL)
    return NULL;

  for (guint i = 0; i < json_array_get_length (updates); i++)
    {
      JsonNode *node = json_array_get_element (updates, i);
      JsonObject *update;
      const char *body;
      gint64 t = 0;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      update = json_node_get_object (node);
      body = feed_opt_string (update, body_key);
      if (body == NULL)
        continue;
      for (guint k = 0; time_keys[k] != NULL && t == 0; k++)
        t = feed_parse_iso8601 (feed_opt_string (update, time_keys[k]));
      if (best == NULL || t > best_time)
        {
          best = body;
          best_time = t;
        }
    }
  return feed_clean_text (best, VIGIE_FEED_MAX_UPDATE_CHARS);
}

