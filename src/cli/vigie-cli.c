/* vigie-cli.c — the command-line modes: tables for people, JSON for scripts. */
#define G_LOG_DOMAIN "vigie-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "vigie-cli.h"
#include "vigie-json-writer.h"

/* Rows of text cells, printed with aligned columns. */
typedef struct
{
  GPtrArray *rows;  /* GStrv, each n_columns long */
  guint n_columns;
} Table;

static void
table_init (Table *table,
            guint  n_columns)
{
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  table->n_columns = n_columns;
}

static void
table_add_row (Table             *table,
               const char *const *cells)
{
  char **row = g_new0 (char *, table->n_columns + 1);

  for (guint i = 0; i < table->n_columns; i++)
    row[i] = g_strdup (cells[i] ? cells[i] : "");
  g_ptr_array_add (table->rows, row);
}

/* Prints and frees the table. Widths count characters, not bytes, so names
 * such as "Lumière" keep the columns straight. */
static void
table_print (Table *table)
{
  g_autofree guint *widths = g_new0 (guint, table->n_columns);
  g_autoptr(GString) line = g_string_new (NULL);

  for (guint r = 0; r < table->rows->len; r++)
    {
      char **row = g_ptr_array_index (table->rows, r);
      for (guint c = 0; c < table->n_columns; c++)
        widths[c] = MAX (widths[c], (guint) g_utf8_strlen (row[c], -1));
    }

  for (guint r = 0; r < table->rows->len; r++)
    {
      char **row = g_ptr_array_index (table->rows, r);
      g_string_truncate (line, 0);
      for (guint c = 0; c < table->n_columns; c++)
        {
          g_string_append (line, row[c]);
          if (c + 1 < table->n_columns)
            for (guint pad = g_utf8_strlen (row[c], -1); pad < widths[c] + 2; pad++)
              g_string_append_c (line, ' ');
        }
      g_strchomp (line->str);
      g_print ("%s\n", line->str);
    }

  g_clear_pointer (&table->rows, g_ptr_array_unref);
}

/* The catalog in its own order, then the user's custom services. */
static GPtrArray *
all_services (VigieConfig *config)
{
  GPtrArray *catalog = vigie_catalog_get_services (vigie_config_get_catalog (config));
  GPtrArray *custom = vigie_config_get_custom_services (config);
  GPtrArray *all = g_ptr_array_sized_new (catalog->len + custom->len);

  g_ptr_array_extend (all, catalog, NULL, NULL);
  g_ptr_array_extend (all, custom, NULL, NULL);
  return all;
}

static void
list_services_json (VigieConfig *config,
                    GPtrArray   *services)
{
  g_autoptr(VigieJsonWriter) writer = vigie_json_writer_new ();
  g_autofree char *text = NULL;

  vigie_json_writer_begin_array (writer);
  for (guint i = 0; i < services->len; i++)
    {
      VigieService *service = g_ptr_array_index (services, i);

      vigie_json_writer_begin_object (writer);
      vigie_json_writer_member_string (writer, "id", service->id);
      vigie_json_writer_member_string (writer, "name", service->name);
      vigie_json_writer_member_string (writer, "provider", service->provider);
      vigie_json_writer_member_string (writer, "category", service->category);
      vigie_json_writer_member_string (writer, "site", service->site);
      vigie_json_writer_member_string (writer, "status_page", service->status_page);
      vigie_json_writer_member_string (writer, "feed_kind",
                                       vigie_feed_kind_to_string (service->feed_kind));
      vigie_json_writer_member_string (writer, "feed_url", service->feed_url);
      vigie_json_writer_member_string (writer, "downdetector", service->downdetector);
      vigie_json_writer_key (writer, "custom");
      vigie_json_writer_boolean (writer, service->origin == VIGIE_SERVICE_CUSTOM);
      vigie_json_writer_key (writer, "watched");
      vigie_json_writer_boolean (writer, vigie_config_is_watched (config, service->id));
      vigie_json_writer_end_object (writer);
    }
  vigie_json_writer_end_array (writer);

  text = vigie_json_writer_steal (writer);
  g_print ("%s", text);
}

static void
list_services_table (VigieConfig *config,
                     GPtrArray   *services)
{
  Table table;
  guint n_watched = 0;

  table_init (&table, 6);
  /* Translators: column headings of "vigie --list-services"; the first
   * column holds a star for the services being watched */
  table_add_row (&table, (const char *[]) { "", _("ID"), _("NAME"), _("PROVIDER"),
                                            _("CATEGORY"), _("OFFICIAL FEED") });
  for (guint i = 0; i < services->len; i++)
    {
      VigieService *service = g_ptr_array_index (services, i);
      gboolean watched = vigie_config_is_watched (config, service->id);

      n_watched += watched;
      table_add_row (&table, (const char *[]) {
                               watched ? "*" : "", service->id, service->name, service->provider,
                               service->category,
                               service->feed_kind == VIGIE_FEED_NONE
                                 /* Translators: no official status feed; the probe alone decides */
                                 ? _("— (probe only)")
                                 : vigie_feed_kind_to_string (service->feed_kind) });
    }
  table_print (&table);

  g_print ("\n");
  /* Translators: %u is the number of services watched, %s the settings file */
  g_print (g_dngettext (GETTEXT_PACKAGE, "* %u service watched (Services= in %s)\n",
                        "* %u services watched (Services= in %s)\n", n_watched),
           n_watched, vigie_config_get_path (config));
}

/**
 * vigie_cli_list_services:
 * @config: loaded settings
 * @json: print JSON instead of a table
 *
 * Prints every service Vigie knows, marking the watched ones.
 *
 * Returns: %VIGIE_EXIT_OK
 */
VigieExit
vigie_cli_list_services (VigieConfig *config,
                         gboolean     json)
{
  g_autoptr(GPtrArray) services = all_services (config);

  if (json)
    list_services_json (config, services);
  else
    list_services_table (config, services);
  return VIGIE_EXIT_OK;
}
