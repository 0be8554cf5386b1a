/* vigie-service.c — one watched service, built and validated from a key file group.
 *
 * The catalog and the settings file describe services with the same keys, so
 * both go through vigie_service_new_from_key_file(); only the URL rules differ
 * (catalog entries are https only).
 */
#define G_LOG_DOMAIN "vigie-service"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "vigie-ini-index.h"
#include "vigie-service.h"

#include "vigie-feed-format.h"

#define GROUP_PREFIX "Service "

G_DEFINE_QUARK (vigie-service-error-quark, vigie_service_error)
G_DEFINE_BOXED_TYPE (VigieService, vigie_service, vigie_service_ref, vigie_service_unref)

static const char *const categories[] = {
  "social", "messaging", "meetings", "productivity", "marketing", "design", "media",
  "storage", "commerce", "developer", "cloud", "ai", "monitoring", "custom", NULL,
};

static void
vigie_service_clear (VigieService *self)
{
  g_free (self->id);
  g_free (self->name);
  g_free (self->provider);
  g_free (self->category);
  g_free (self->site);
  g_free (self->status_page);
  g_free (self->feed_url);
  g_free (self->feed_filter);
  g_free (self->downdetector);
  g_free (self->note);
}

/**
 * vigie_service_ref:
 * @service: a #VigieService
 *
 * Returns: (transfer full): @service
 */
VigieService *
vigie_service_ref (VigieService *service)
{
  g_return_val_if_fail (service != NULL, NULL);
  return g_atomic_rc_box_acquire (service);
}

/**
 * vigie_service_unref:
 * @service: (transfer full): a #VigieService
 */
void
vigie_service_unref (VigieService *service)
{
  g_return_if_fail (service != NULL);
  g_atomic_rc_box_release_full (service, (GDestroyNotify) vigie_service_clear);
}

/**
 * vigie_service_id_is_valid:
 * @id: (nullable): a candidate identifier
 *
 * Returns: %TRUE if @id is 1–64 characters of lowercase ASCII letters, digits
 *   and dashes, not starting or ending with a dash
 */
gboolean
vigie_service_id_is_valid (const char *id)
{
  gsize len;

  if (id == NULL)
    return FALSE;
  len = strlen (id);
  if (len == 0 || len > 64 || id[0] == '-' || id[len - 1] == '-')
    return FALSE;
  for (const char *p = id; *p; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-')
      return FALSE;
  return TRUE;
}

/**
 * vigie_service_categories:
 *
 * Returns: (transfer none) (array zero-terminated=1): the known category ids,
 *   in display order
 */
const char *const *
vigie_service_categories (void)
{
  return categories;
}

gboolean
vigie_service_category_is_known (const char *category)
{
  return category != NULL && g_strv_contains (categories, category);
}

/**
 * vigie_service_category_label:
 * @category: a category id
 *
 * Returns: (transfer none): the translated heading for @category
 */
const char *
vigie_service_category_label (const char *category)
{
  static const struct { const char *id; const char *label; } labels[] = {
    { "social", N_("Social networks") },
    { "messaging", N_("Messaging") },
    { "meetings", N_("Meetings") },
    { "productivity", N_("Productivity") },
    { "marketing", N_("Marketing") },
    { "design", N_("Design") },
    { "media", N_("Video and media") },
    { "storage", N_("Files and storage") },
    { "commerce", N_("Commerce and payments") },
    { "developer", N_("Developer tools") },
    { "cloud", N_("Cloud and hosting") },
    { "ai", N_("AI assistants") },
    { "monitoring", N_("Outage monitors") },
    { "custom", N_("Your services") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (labels[i].id, category) == 0)
      return g_dgettext (GETTEXT_PACKAGE, labels[i].label);
  return category;
}

/**
 * vigie_service_group_id:
 * @group: a key file group name
 *
 * Returns: (transfer full) (nullable): the id of a `[Service ID]` group, or
 *   %NULL if @group is not a service group
 */
char *
vigie_service_group_id (const char *group)
{
  if (group == NULL || !g_str_has_prefix (group, GROUP_PREFIX))
    return NULL;
  return g_strdup (group + strlen (GROUP_PREFIX));
}

static gboolean
check_host_port (const char *spec)
{
  g_autofree char *host = NULL;
  const char *colon = strrchr (spec, ':');
  guint64 port;

  if (colon == NULL || colon == spec || strchr (spec, '/') != NULL)
    return FALSE;
  if (!g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &port, NULL))
    return FALSE;
  host = g_strndup (spec, colon - spec);
  return g_hostname_is_ascii_encoded (host) || g_hostname_is_ip_address (host)
         || g_str_is_ascii (host);
}

/* A character a URL cannot hold: a control character (C0, DEL, C1) or any
 * kind of space. Such a character in a request line is not a typo to
 * forgive: "\r\n" there would add a header of the file's choosing. */
static gboolean
is_forbidden_in_url (gunichar c)
{
  return c <= 0x20 || c == 0x7f || g_unichar_iscntrl (c) || g_unichar_isspace (c)
         || g_unichar_type (c) == G_UNICODE_SPACE_SEPARATOR;
}

/* @text (valid UTF-8) with its control characters and unusual spaces
 * written as escapes (\r, \n, \t, \u0085, ...), the way the user would
 * type them in the file: a message must not carry a line break or a
 * terminal escape sequence. */
static char *
escape_for_message (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\r')
        g_string_append (out, "\\r");
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c != ' ' && is_forbidden_in_url (c))
        g_string_append_printf (out, "\\u%04X", c);
      else
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

/**
 * vigie_service_check_url:
 * @url: a URL from a catalog entry or settings file
 * @origin: which rules apply
 * @error: return location for a #GError
 *
 * Catalog URLs must be `https://`; custom services may also use `http://` and,
 * for the site only, a bare `host:port` (the caller decides which keys accept
 * that form, this function accepts it for %VIGIE_SERVICE_CUSTOM). No URL may
 * hold a space or a control character (a line break would let the file add
 * headers to a request).
 *
 * Returns: %TRUE if @url is acceptable
 */
gboolean
vigie_service_check_url (const char         *url,
                         VigieServiceOrigin  origin,
                         GError            **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *scheme;

  g_return_val_if_fail (url != NULL, FALSE);

  if (!g_utf8_validate (url, -1, NULL) || *url == '\0')
    {
      g_set_error (error, VIGIE_SERVICE_ERROR, VIGIE_SERVICE_ERROR_INVALID_URL,
                   _("the URL is empty or not valid text"));
      return FALSE;
    }

  /* Before anything else, host:port included: GUri takes some of these
   * characters in a path, and curl would send them. */
  for (const char *p = url; *p != '\0'; p = g_utf8_next_char (p))
    if (is_forbidden_in_url (g_utf8_get_char (p)))
      {
        g_autofree char *shown = escape_for_message (url);

        g_set_error (error, VIGIE_SERVICE_ERROR, VIGIE_SERVICE_ERROR_INVALID_URL,
                     _("“%s” contains a space, a line break or another control character, "
                       "which a URL cannot hold"),
                     shown);
        return FALSE;
      }

  if (origin == VIGIE_SERVICE_CUSTOM && strstr (url, "://") == NULL && check_host_port (url))
    return TRUE;

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, VIGIE_SERVICE_ERROR, VIGIE_SERVICE_ERROR_INVALID_URL,
                   _("“%s” is not a valid URL"), url);
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0
      && !(origin == VIGIE_SERVICE_CUSTOM && g_ascii_strcasecmp (scheme, "http") == 0))
    {
      g_set_error (error, VIGIE_SERVICE_ERROR, VIGIE_SERVICE_ERROR_INVALID_URL,
                   origin == VIGIE_SERVICE_CUSTOM
                     ? _("“%s” must start with https:// or http://")
                     : _("“%s” must start with https://"),
                   url);
      return FALSE;
    }

  if (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, VIGIE_SERVICE_ERROR, VIGIE_SERVICE_ERROR_INVALID_URL,
                   _("“%s” has no host name"), url);
      return FALSE;
    }

  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error (error, VIGIE_SERVICE_ERROR, VIGIE_SERVICE_ERROR_INVALID_URL,
                   _("“%s” contains a user name or password, which Vigie does not store"),
                   url);
      return FALSE;
    }

  return TRUE;
}

static char *
get_optional_url (GKeyFile           *key_file,
                  const char         *group,
                  const char         *key,
                  VigieServiceOrigin  origin,
                  GError            **error)
{
  g_autofree char *value = vigie_key_file_get_string (key_file, group, key);
  g_autoptr(GError) local_error = NULL;

  if (value == NULL || *g_strstrip (value) == '\0')
    return NULL;
  if (!vigie_service_check_url (value, origin, &local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  /* A status page is a web page: "host:port" makes no sense there. */
  if (strstr (value, "://") == NULL)
    {
      g_set_error (error, VIGIE_SERVICE_ERROR, VIGIE_SERVICE_ERROR_INVALID_URL,
                   _("“%s” is not a web address"), value);
      return NULL;
    }
  return g_steal_pointer (&value);
}

static gboolean
parse_feed (const char          *spec,
            VigieServiceOrigin   origin,
            VigieFeedKind       *out_kind,
            char               **out_url,
            GError             **error)
{
  g_autofree char *kind_name = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *colon;
  const char *url;

  *out_kind = VIGIE_FEED_NONE;
  *out_url = NULL;

  if (g_strcmp0 (spec, "none") == 0)
    return TRUE;

  colon = strchr (spec, ':');
  if (colon == NULL)
    {
      g_autofree char *shown = escape_for_message (spec);

      g_set_error (error, VIGIE_SERVICE_ERROR, VIGIE_SERVICE_ERROR_INVALID_FEED,
                   _("“%s” should be KIND:URL, for example "
                     "statuspage:https://status.example.com/api/v2/summary.json"),
                   shown);
      return FALSE;
    }

  kind_name = g_strndup (spec, colon - spec);
  url = colon + 1;
  if (!vigie_feed_kind_from_string (kind_name, out_kind) || *out_kind == VIGIE_FEED_NONE)
    {
      g_autofree char *shown = escape_for_message (kind_name);
      g_autofree char *known = vigie_feed_format_names (", ");

      /* Translators: the second %s lists the kinds: "statuspage, slack, …" */
      g_set_error (error, VIGIE_SERVICE_ERROR, VIGIE_SERVICE_ERROR_INVALID_FEED,
                   _("unknown feed kind “%s” (known: %s)"), shown, known);
      return FALSE;
    }
  if (!vigie_service_check_url (url, origin, &local_error) || strstr (url, "://") == NULL)
    {
      g_set_error_literal (error, VIGIE_SERVICE_ERROR, VIGIE_SERVICE_ERROR_INVALID_FEED,
                           local_error ? local_error->message : _("the feed needs a full URL"));
      return FALSE;
    }

  *out_url = g_strdup (url);
  return TRUE;
}

static char *
get_trimmed (GKeyFile   *key_file,
             const char *group,
             const char *key)
{
  g_autofree char *value = vigie_key_file_get_string (key_file, group, key);

  if (value == NULL || *g_strstrip (value) == '\0')
    return NULL;
  return g_steal_pointer (&value);
}

/**
 * vigie_service_new_from_key_file:
 * @key_file: a loaded #GKeyFile
 * @group: a `[Service ID]` group of @key_file
 * @origin: catalog or custom: decides which URLs are accepted
 * @error: return location for a #GError
 *
 * Builds a service from the keys `Name`, `Provider`, `Category`, `Site`,
 * `StatusPage`, `Feed`, `FeedFilter`, `DownDetector` and `Note`. Catalog
 * entries must set all of `Name`, `Provider`, `Category`, `Site` and `Feed`;
 * a custom service needs only `Site` (its name defaults to its id).
 *
 * Returns: (transfer full) (nullable): the service, or %NULL with @error set
 *   to a message that names the key at fault ("Site: …")
 */
VigieService *
vigie_service_new_from_key_file (GKeyFile           *key_file,
                                 const char         *group,
                                 VigieServiceOrigin  origin,
                                 GError            **error)
{
  const char *bad_key = NULL;
  g_autoptr(GError) local_error = NULL;
  VigieService *service;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  service = vigie_service_new_from_key_file_full (key_file, group, origin, &bad_key,
                                                  &local_error);
  if (service == NULL)
    {
      if (bad_key != NULL)
        g_prefix_error (&local_error, "%s: ", bad_key);
      g_propagate_error (error, g_steal_pointer (&local_error));
    }
  return service;
}

/**
 * vigie_service_new_from_key_file_full:
 * @key_file: a loaded #GKeyFile
 * @group: a `[Service ID]` group of @key_file
 * @origin: catalog or custom: decides which URLs are accepted
 * @bad_key: (out) (optional) (transfer none): on failure, the key whose value
 *   is wrong, or %NULL when the fault is the group's (its id, a missing key)
 * @error: return location for a #GError
 *
 * Like vigie_service_new_from_key_file(), but the key at fault is given
 * apart and the message does not start with it, so that a caller can name
 * the key's own line.
 *
 * Returns: (transfer full) (nullable): the service, or %NULL with @error set
 */
VigieService *
vigie_service_new_from_key_file_full (GKeyFile           *key_file,
                                      const char         *group,
                                      VigieServiceOrigin  origin,
                                      const char        **bad_key,
                                      GError            **error)
{
  g_autofree char *id = NULL;
  g_autofree char *feed = NULL;
  g_autoptr(GError) local_error = NULL;
  VigieService *self;
  gboolean catalog = origin == VIGIE_SERVICE_CATALOG;
  const char *ignored_key;

  g_return_val_if_fail (key_file != NULL, NULL);
  g_return_val_if_fail (group != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (bad_key == NULL)
    bad_key = &ignored_key;
  *bad_key = NULL;

  id = vigie_service_group_id (group);
  if (!vigie_service_id_is_valid (id))
    {
      g_set_error (error, VIGIE_SERVICE_ERROR, VIGIE_SERVICE_ERROR_INVALID_ID,
                   _("“%s” is not a valid service id: use lowercase letters, digits and "
                     "dashes, as in [Service my-intranet]"),
                   id ? id : group);
      return NULL;
    }

  self = g_atomic_rc_box_new0 (VigieService);
  self->id = g_steal_pointer (&id);
  self->origin = origin;
  self->name = get_trimmed (key_file, group, "Name");
  self->provider = get_trimmed (key_file, group, "Provider");
  self->category = get_trimmed (key_file, group, "Category");
  self->site = get_trimmed (key_file, group, "Site");
  self->feed_filter = get_trimmed (key_file, group, "FeedFilter");
  self->note = get_trimmed (key_file, group, "Note");
  feed = get_trimmed (key_file, group, "Feed");

  if (self->site == NULL || (catalog && (self->name == NULL || self->provider == NULL
                                         || self->category == NULL || feed == NULL)))
    {
      const char *missing = self->site == NULL       ? "Site"
                            : self->name == NULL     ? "Name"
                            : self->provider == NULL ? "Provider"
                            : self->category == NULL ? "Category"
                                                     : "Feed";
      g_set_error (error, VIGIE_SERVICE_ERROR, VIGIE_SERVICE_ERROR_MISSING_KEY,
                   _("%s is missing"), missing);
      goto fail;
    }

  if (!vigie_service_check_url (self->site, origin, error))
    {
      *bad_key = "Site";
      goto fail;
    }

  if (self->name == NULL)
    self->name = g_strdup (self->id);
  if (self->provider == NULL)
    self->provider = g_strdup (self->name);
  if (self->category == NULL)
    self->category = g_strdup ("custom");
  if (!vigie_service_category_is_known (self->category))
    {
      g_autofree char *known = g_strjoinv (", ", (char **) categories);
      g_set_error (error, VIGIE_SERVICE_ERROR, VIGIE_SERVICE_ERROR_INVALID_CATEGORY,
                   _("unknown category “%s” (known: %s)"), self->category, known);
      *bad_key = "Category";
      goto fail;
    }

  if (feed != NULL && !parse_feed (feed, origin, &self->feed_kind, &self->feed_url, error))
    {
      *bad_key = "Feed";
      goto fail;
    }

  self->status_page = get_optional_url (key_file, group, "StatusPage", origin, &local_error);
  if (local_error != NULL)
    {
      *bad_key = "StatusPage";
      g_propagate_error (error, g_steal_pointer (&local_error));
      goto fail;
    }
  self->downdetector = get_optional_url (key_file, group, "DownDetector", origin, &local_error);
  if (local_error != NULL)
    {
      *bad_key = "DownDetector";
      g_propagate_error (error, g_steal_pointer (&local_error));
      goto fail;
    }

  return self;

fail:
  vigie_service_unref (self);
  return NULL;
}
