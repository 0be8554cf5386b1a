/* vigie-preferences-custom.c — the Your Services page; see the header.
 *
 * Status feed detection asks every known endpoint of the pasted page at
 * once (one VigieHttp batch, bodies capped), and the first answer, in a
 * fixed order, that a parser reads wins. While the editor's fields are
 * being set, `syncing` keeps their handlers from taking it for typing.
 */
#define G_LOG_DOMAIN "vigie-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "vigie-feed-format.h"
#include "vigie-http.h"
#include "vigie-preferences-custom.h"
#include "vigie-report.h"

/* A status page's feed is a few hundred KiB at most; Google's keeps years of
 * history, hence its own cap (the same as the probe's). */
#define DETECT_MAX_BODY (1024 * 1024)
#define DETECT_TIMEOUT_S 10

struct _VigiePreferencesCustom
{
  VigiePreferencesPage parent_instance;

  GtkStack *custom_stack;
  GtkListBox *custom_list;
  GtkLabel *editor_title;
  GtkEntry *name_entry;
  GtkEntry *id_entry;
  GtkEntry *site_entry;
  GtkEntry *status_entry;
  GtkLabel *name_error;
  GtkLabel *id_error;
  GtkLabel *site_error;
  GtkLabel *feed_kinds_label;
  GtkLabel *detect_label;
  GtkSpinner *detect_spinner;
  GtkButton *save_button;

  guint syncing;
  GPtrArray *custom_shown;      /* the custom services the list was built from */

  /* The editor. */
  char *editing_id;             /* NULL while adding */
  char *editing_feed;           /* the edited service's feed, kept if its page is unchanged */
  char *editing_status_page;
  gboolean id_edited;           /* typed by the user: no longer derived from the name */
  GCancellable *detect_cancellable;
  gboolean detecting;
  gboolean save_after_detect;
  char *detected_page;          /* the status page the result below is for */
  char *detected_feed;          /* "kind:url", or NULL when nothing was found */
};

G_DEFINE_FINAL_TYPE (VigiePreferencesCustom, vigie_preferences_custom,
                     VIGIE_TYPE_PREFERENCES_PAGE)

static VigieConfig *
config_of (VigiePreferencesCustom *self)
{
  return vigie_preferences_page_get_config (VIGIE_PREFERENCES_PAGE (self));
}

static void open_editor (VigiePreferencesCustom *self,
                         VigieService           *service);

static void
on_edit_clicked (GtkButton              *button,
                 VigiePreferencesCustom *self)
{
  VigieService *service =
    vigie_config_lookup_service (config_of (self),
                                 g_object_get_data (G_OBJECT (button), "service-id"));

  if (service != NULL)
    open_editor (self, service);
}

static void
on_remove_clicked (GtkButton              *button,
                   VigiePreferencesCustom *self)
{
  if (vigie_config_remove_custom_service (config_of (self),
                                          g_object_get_data (G_OBJECT (button), "service-id")))
    vigie_preferences_page_save (VIGIE_PREFERENCES_PAGE (self));
}

static GtkWidget *
custom_row_new (VigiePreferencesCustom *self,
                VigieService           *service)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *name = gtk_label_new (service->name ? service->name : service->id);
  g_autofree char *detail_text = NULL;
  GtkWidget *detail;
  GtkWidget *edit, *remove;
  PangoAttrList *bold = pango_attr_list_new ();
  /* Translators: tooltips and accessible names of a custom service's buttons */
  g_autofree char *edit_text = g_strdup_printf (_("Edit %s"), service->name);
  g_autofree char *remove_text = g_strdup_printf (_("Remove %s"), service->name);

  if (service->feed_kind != VIGIE_FEED_NONE)
    /* Translators: "https://intranet.example.com/ · Atlassian Statuspage" */
    detail_text = g_strdup_printf (_("%s · %s"), service->site,
                                   vigie_report_feed_kind_label (service->feed_kind));
  else
    detail_text = g_strdup (service->site);
  detail = gtk_label_new (detail_text);

  pango_attr_list_insert (bold, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  gtk_label_set_attributes (GTK_LABEL (name), bold);
  pango_attr_list_unref (bold);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_xalign (GTK_LABEL (detail), 0);
  gtk_label_set_ellipsize (GTK_LABEL (detail), PANGO_ELLIPSIZE_MIDDLE);
  gtk_style_context_add_class (gtk_widget_get_style_context (detail), "dim-label");
  gtk_widget_set_hexpand (text, TRUE);
  gtk_container_add (GTK_CONTAINER (text), name);
  gtk_container_add (GTK_CONTAINER (text), detail);

  edit = vigie_preferences_page_icon_button_new ("document-edit-symbolic", edit_text);
  remove = vigie_preferences_page_icon_button_new ("user-trash-symbolic", remove_text);
  gtk_widget_set_name (edit, "edit");
  gtk_widget_set_name (remove, "remove");
  g_object_set_data_full (G_OBJECT (edit), "service-id", g_strdup (service->id), g_free);
  g_object_set_data_full (G_OBJECT (remove), "service-id", g_strdup (service->id), g_free);
  g_signal_connect (edit, "clicked", G_CALLBACK (on_edit_clicked), self);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_clicked), self);

  g_object_set (box, "margin-start", 12, "margin-end", 6, "margin-top", 6, "margin-bottom", 6,
                NULL);
  gtk_container_add (GTK_CONTAINER (box), text);
  gtk_container_add (GTK_CONTAINER (box), edit);
  gtk_container_add (GTK_CONTAINER (box), remove);
  gtk_container_add (GTK_CONTAINER (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_name (row, service->id);
  gtk_widget_show_all (row);
  return row;
}

static void
build_custom_list (VigiePreferencesCustom *self)
{
  GPtrArray *custom = vigie_config_get_custom_services (config_of (self));
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (self->custom_list));

  for (GList *l = children; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
  /* Held, so that the next sync compares live objects, not freed ones. */
  g_ptr_array_set_size (self->custom_shown, 0);
  for (guint i = 0; i < custom->len; i++)
    {
      VigieService *service = g_ptr_array_index (custom, i);

      g_ptr_array_add (self->custom_shown, vigie_service_ref (service));
      gtk_container_add (GTK_CONTAINER (self->custom_list), custom_row_new (self, service));
    }
}

/* "Mon Intranet" → "mon-intranet": a valid id from a name, when possible. */
static char *
slug (const char *name)
{
  g_autofree char *ascii = vigie_preferences_page_normalise (name);
  GString *out = g_string_new (NULL);

  for (const char *p = ascii; *p != '\0' && out->len < 64; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (out, *p);
    else if (out->len > 0 && out->str[out->len - 1] != '-')
      g_string_append_c (out, '-');
  while (out->len > 0 && out->str[out->len - 1] == '-')
    g_string_truncate (out, out->len - 1);
  return g_string_free (out, FALSE);
}

static void
clear_detection (VigiePreferencesCustom *self)
{
  g_cancellable_cancel (self->detect_cancellable);
  g_clear_object (&self->detect_cancellable);
  self->detecting = FALSE;
  self->save_after_detect = FALSE;
  g_clear_pointer (&self->detected_page, g_free);
  g_clear_pointer (&self->detected_feed, g_free);
  gtk_spinner_stop (self->detect_spinner);
  gtk_widget_hide (GTK_WIDGET (self->detect_spinner));
  vigie_preferences_page_set_field_error (self->detect_label, GTK_WIDGET (self->status_entry),
                                          NULL);
}

/* The line under the status page: progress, the kind found, or a problem.
 * @field is the entry to mark when the problem is with what was typed. */
static void
show_detection (VigiePreferencesCustom *self,
                const char             *text,
                gboolean                is_problem,
                GtkWidget              *field)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self->detect_label));

  vigie_preferences_page_set_field_error (self->detect_label, GTK_WIDGET (self->status_entry),
                                          NULL);
  if (field != NULL)
    gtk_style_context_add_class (gtk_widget_get_style_context (field), "error");
  if (is_problem)
    gtk_style_context_add_class (context, "vigie-error");
  else
    gtk_style_context_remove_class (context, "vigie-error");
  gtk_label_set_text (self->detect_label, text);
  gtk_widget_show (GTK_WIDGET (self->detect_label));
}

static void
open_editor (VigiePreferencesCustom *self,
             VigieService           *service)
{
  g_autofree char *title = NULL;

  clear_detection (self);
  g_clear_pointer (&self->editing_id, g_free);
  g_clear_pointer (&self->editing_feed, g_free);
  g_clear_pointer (&self->editing_status_page, g_free);

  self->syncing++;
  if (service != NULL)
    {
      self->editing_id = g_strdup (service->id);
      if (service->feed_kind != VIGIE_FEED_NONE)
        self->editing_feed = g_strdup_printf ("%s:%s", vigie_feed_kind_to_string (service->feed_kind),
                                              service->feed_url);
      self->editing_status_page = g_strdup (service->status_page ? service->status_page : "");
      /* Translators: title of the editor for an existing service */
      title = g_strdup_printf (_("Edit “%s”"), service->name);
      gtk_entry_set_text (self->name_entry, service->name);
      gtk_entry_set_text (self->id_entry, service->id);
      gtk_entry_set_text (self->site_entry, service->site);
      gtk_entry_set_text (self->status_entry, self->editing_status_page);
      gtk_button_set_label (self->save_button, _("_Save"));
    }
  else
    {
      title = g_strdup (_("Add a service of your own"));
      gtk_entry_set_text (self->name_entry, "");
      gtk_entry_set_text (self->id_entry, "");
      gtk_entry_set_text (self->site_entry, "");
      gtk_entry_set_text (self->status_entry, "");
      gtk_button_set_label (self->save_button, _("_Add"));
    }
  self->syncing--;
  self->id_edited = service != NULL;
  /* An id names the group in the file and other settings: it is not renamed. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->id_entry), service == NULL);
  gtk_label_set_text (self->editor_title, title);
  vigie_preferences_page_set_field_error (self->name_error, GTK_WIDGET (self->name_entry), NULL);
  vigie_preferences_page_set_field_error (self->id_error, GTK_WIDGET (self->id_entry), NULL);
  vigie_preferences_page_set_field_error (self->site_error, GTK_WIDGET (self->site_entry), NULL);

  gtk_stack_set_visible_child_name (self->custom_stack, "editor");
  gtk_widget_grab_default (GTK_WIDGET (self->save_button));
  gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
}

static void
close_editor (VigiePreferencesCustom *self)
{
  clear_detection (self);
  gtk_stack_set_visible_child_name (self->custom_stack, "list");
}

static void
on_add_clicked (GtkButton              *button,
                VigiePreferencesCustom *self)
{
  open_editor (self, NULL);
}

static void
on_cancel_clicked (GtkButton              *button,
                   VigiePreferencesCustom *self)
{
  close_editor (self);
}

static void
on_name_changed (GtkEditable            *editable,
                 VigiePreferencesCustom *self)
{
  g_autofree char *id = NULL;

  if (self->syncing)
    return;
  vigie_preferences_page_set_field_error (self->name_error, GTK_WIDGET (self->name_entry), NULL);
  if (self->id_edited)
    return;
  id = slug (gtk_entry_get_text (self->name_entry));
  self->syncing++;
  gtk_entry_set_text (self->id_entry, id);
  self->syncing--;
}

static void
on_id_changed (GtkEditable            *editable,
               VigiePreferencesCustom *self)
{
  if (self->syncing)
    return;
  self->id_edited = TRUE;
  vigie_preferences_page_set_field_error (self->id_error, GTK_WIDGET (self->id_entry), NULL);
}

static void
on_site_changed (GtkEditable            *editable,
                 VigiePreferencesCustom *self)
{
  if (!self->syncing)
    vigie_preferences_page_set_field_error (self->site_error, GTK_WIDGET (self->site_entry), NULL);
}

static void
on_status_changed (GtkEditable            *editable,
                   VigiePreferencesCustom *self)
{
  if (!self->syncing)
    clear_detection (self);
}

/* Whether @text is acceptable as a status page: empty, or a web address. */
static gboolean
check_status_page (VigiePreferencesCustom *self,
                   const char             *text)
{
  g_autoptr(GError) error = NULL;

  if (*text == '\0')
    return TRUE;
  if (strstr (text, "://") == NULL)
    {
      show_detection (self, _("Enter a full web address, starting with https:// or http://"),
                      TRUE, GTK_WIDGET (self->status_entry));
      return FALSE;
    }
  if (!vigie_service_check_url (text, VIGIE_SERVICE_CUSTOM, &error))
    {
      show_detection (self, error->message, TRUE, GTK_WIDGET (self->status_entry));
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  VigiePreferencesCustom *self;       /* a reference: valid until the answer, even if closed */
  GCancellable *cancellable;
  VigieHttp *http;
  GPtrArray *candidates;
  char *page;
} Detection;

static void
detection_free (Detection *detection)
{
  g_clear_object (&detection->self);
  g_clear_object (&detection->cancellable);
  g_clear_object (&detection->http);
  g_clear_pointer (&detection->candidates, g_ptr_array_unref);
  g_free (detection->page);
  g_free (detection);
}

static void     commit_service  (VigiePreferencesCustom *self);
static gboolean validate_editor (VigiePreferencesCustom *self);

static void
on_detected (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Detection *detection = user_data;
  VigiePreferencesCustom *self = detection->self;
  g_autoptr(GPtrArray) responses = vigie_http_run_finish (VIGIE_HTTP (source), result, NULL);
  VigieFeedCandidate *winner = NULL;

  /* Another page was pasted, the editor closed or the window went away. */
  if (g_cancellable_is_cancelled (detection->cancellable))
    {
      detection_free (detection);
      return;
    }

  for (guint i = 0; responses != NULL && i < responses->len && winner == NULL; i++)
    {
      VigieHttpResponse *response = g_ptr_array_index (responses, i);
      VigieFeedCandidate *candidate = g_ptr_array_index (detection->candidates, i);
      g_autoptr(VigieFeedReport) report = NULL;
      gsize size;
      const guint8 *data;

      if (response->layer != VIGIE_LAYER_OK || response->http_status != 200
          || response->body == NULL)
        continue;
      data = g_bytes_get_data (response->body, &size);
      report = vigie_feed_parse (candidate->kind, data, size, NULL,
                                 g_get_real_time () / G_USEC_PER_SEC, NULL);
      /* A document that says nothing about any status is not a status feed. */
      if (report != NULL && report->level != VIGIE_OFFICIAL_UNKNOWN)
        winner = candidate;
    }

  self->detecting = FALSE;
  gtk_spinner_stop (self->detect_spinner);
  gtk_widget_hide (GTK_WIDGET (self->detect_spinner));
  g_free (self->detected_page);
  self->detected_page = g_strdup (detection->page);
  g_clear_pointer (&self->detected_feed, g_free);
  g_clear_object (&self->detect_cancellable);

  if (winner != NULL)
    {
      /* Translators: %s is a kind of status page ("Atlassian Statuspage") */
      g_autofree char *text = g_strdup_printf (_("Detected: %s"),
                                               vigie_report_feed_kind_label (winner->kind));
      self->detected_feed = g_strdup_printf ("%s:%s", vigie_feed_kind_to_string (winner->kind),
                                             winner->url);
      show_detection (self, text, FALSE, NULL);
      if (self->save_after_detect && validate_editor (self))
        commit_service (self);
    }
  else
    /* The user sees this before anything is saved: a second click saves
     * the service without a feed, knowingly. */
    show_detection (self, _("No status feed Vigie knows was found at this address. You can "
                            "still save the service: Vigie will then check its address only."),
                    TRUE, NULL);
  self->save_after_detect = FALSE;
  detection_free (detection);
}

static void
start_detection (VigiePreferencesCustom *self,
                 const char             *page)
{
  VigieHttpOptions options = { .timeout_s = DETECT_TIMEOUT_S };
  g_autoptr(GPtrArray) requests = NULL;
  Detection *detection;

  g_cancellable_cancel (self->detect_cancellable);
  g_clear_object (&self->detect_cancellable);
  self->detect_cancellable = g_cancellable_new ();
  self->detecting = TRUE;

  detection = g_new0 (Detection, 1);
  detection->self = g_object_ref (self);
  detection->cancellable = g_object_ref (self->detect_cancellable);
  detection->http = vigie_http_new (&options);
  detection->candidates = vigie_feed_detect_candidates (page);
  detection->page = g_strdup (page);

  requests = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_http_request_free);
  for (guint i = 0; i < detection->candidates->len; i++)
    {
      VigieFeedCandidate *candidate = g_ptr_array_index (detection->candidates, i);
      VigieHttpRequest *request = vigie_http_request_new (candidate->url, VIGIE_REQUEST_BODY);

      request->max_body = candidate->kind == VIGIE_FEED_GOOGLE ? vigie_feed_max_size (candidate->kind)
                                                              : DETECT_MAX_BODY;
      /* A custom service may live on plain http (intranet, loopback). */
      request->allow_plain_http = TRUE;
      g_ptr_array_add (requests, request);
    }

  show_detection (self, _("Looking for the status feed…"), FALSE, NULL);
  gtk_widget_show (GTK_WIDGET (self->detect_spinner));
  gtk_spinner_start (self->detect_spinner);
  vigie_http_run_async (detection->http, requests, detection->cancellable, on_detected, detection);
}

static void
on_detect_clicked (GtkWidget              *widget,
                   VigiePreferencesCustom *self)
{
  g_autofree char *page = vigie_preferences_page_entry_text (self->status_entry);

  if (*page == '\0' || !check_status_page (self, page))
    return;
  self->save_after_detect = FALSE;
  start_detection (self, page);
}

/* Checks the editor's fields; shows what is wrong under each one. */
static gboolean
validate_editor (VigiePreferencesCustom *self)
{
  g_autofree char *name = vigie_preferences_page_entry_text (self->name_entry);
  g_autofree char *id = vigie_preferences_page_entry_text (self->id_entry);
  g_autofree char *site = vigie_preferences_page_entry_text (self->site_entry);
  g_autofree char *page = vigie_preferences_page_entry_text (self->status_entry);
  g_autoptr(GError) error = NULL;
  gboolean ok = TRUE;

  if (*name == '\0')
    {
      vigie_preferences_page_set_field_error (self->name_error, GTK_WIDGET (self->name_entry),
                                              _("Give the service a name"));
      ok = FALSE;
    }

  if (!vigie_service_id_is_valid (id))
    {
      vigie_preferences_page_set_field_error (self->id_error, GTK_WIDGET (self->id_entry),
                                              _("Use only lowercase letters, digits and dashes "
                                                "(at most 64), not starting or ending with a "
                                                "dash"));
      ok = FALSE;
    }
  else if (self->editing_id == NULL
           && vigie_catalog_lookup (vigie_config_get_catalog (config_of (self)), id) != NULL)
    {
      vigie_preferences_page_set_field_error (self->id_error, GTK_WIDGET (self->id_entry),
                                              _("Vigie already knows a service by this id: tick "
                                                "it in Services, or choose another id"));
      ok = FALSE;
    }
  else if (self->editing_id == NULL && vigie_config_lookup_service (config_of (self), id) != NULL)
    {
      vigie_preferences_page_set_field_error (self->id_error, GTK_WIDGET (self->id_entry),
                                              _("You already have a service with this id"));
      ok = FALSE;
    }

  if (*site == '\0')
    {
      vigie_preferences_page_set_field_error (self->site_error, GTK_WIDGET (self->site_entry),
                                              _("Enter the address Vigie should check"));
      ok = FALSE;
    }
  else if (!vigie_service_check_url (site, VIGIE_SERVICE_CUSTOM, &error))
    {
      vigie_preferences_page_set_field_error (self->site_error, GTK_WIDGET (self->site_entry),
                                              error->message);
      ok = FALSE;
    }

  if (!check_status_page (self, page))
    ok = FALSE;
  return ok;
}

static void
commit_service (VigiePreferencesCustom *self)
{
  g_autofree char *name = vigie_preferences_page_entry_text (self->name_entry);
  g_autofree char *id = vigie_preferences_page_entry_text (self->id_entry);
  g_autofree char *site = vigie_preferences_page_entry_text (self->site_entry);
  g_autofree char *page = vigie_preferences_page_entry_text (self->status_entry);
  g_autoptr(GError) error = NULL;
  const char *feed = NULL;
  gboolean adding = self->editing_id == NULL;

  if (*page != '\0')
    feed = self->detected_feed;
  else if (!adding && self->editing_status_page != NULL && *self->editing_status_page == '\0')
    /* A feed written in the file by hand, with no page to detect it from. */
    feed = self->editing_feed;

  if (!vigie_config_set_custom_service (config_of (self), id, name, site, page, feed, &error))
    {
      /* validate_editor() checked the same rules: this is a safety net. */
      if (g_error_matches (error, VIGIE_SERVICE_ERROR, VIGIE_SERVICE_ERROR_INVALID_ID))
        vigie_preferences_page_set_field_error (self->id_error, GTK_WIDGET (self->id_entry),
                                                error->message);
      else if (g_error_matches (error, VIGIE_SERVICE_ERROR, VIGIE_SERVICE_ERROR_INVALID_FEED))
        show_detection (self, error->message, TRUE, GTK_WIDGET (self->status_entry));
      else
        vigie_preferences_page_set_field_error (self->site_error, GTK_WIDGET (self->site_entry),
                                                error->message);
      return;
    }
  /* Adding a service means wanting it watched. */
  if (adding)
    {
      const char *ids[] = { id, NULL };
      vigie_preferences_page_set_watched (VIGIE_PREFERENCES_PAGE (self), ids, TRUE);
    }
  vigie_preferences_page_save (VIGIE_PREFERENCES_PAGE (self));
  close_editor (self);
}

static void
on_save_clicked (GtkButton              *button,
                 VigiePreferencesCustom *self)
{
  g_autofree char *page = vigie_preferences_page_entry_text (self->status_entry);

  if (!validate_editor (self))
    return;
  if (self->detecting)
    {
      self->save_after_detect = TRUE;
      return;
    }

  /* A page unchanged since it was detected (or loaded) needs no new look. */
  if (*page != '\0' && g_strcmp0 (page, self->detected_page) != 0)
    {
      if (self->editing_id != NULL && g_strcmp0 (page, self->editing_status_page) == 0)
        {
          g_free (self->detected_page);
          self->detected_page = g_strdup (page);
          g_free (self->detected_feed);
          self->detected_feed = g_strdup (self->editing_feed);
        }
      else
        {
          start_detection (self, page);
          self->save_after_detect = TRUE;
          return;
        }
    }
  commit_service (self);
}

static void
vigie_preferences_custom_sync (VigiePreferencesPage *page)
{
  VigiePreferencesCustom *self = VIGIE_PREFERENCES_CUSTOM (page);

  if (vigie_preferences_page_custom_changed (page, self->custom_shown))
    build_custom_list (self);
}

static void
vigie_preferences_custom_constructed (GObject *object)
{
  VigiePreferencesCustom *self = VIGIE_PREFERENCES_CUSTOM (object);

  G_OBJECT_CLASS (vigie_preferences_custom_parent_class)->constructed (object);

  build_custom_list (self);
}

static void
vigie_preferences_custom_dispose (GObject *object)
{
  VigiePreferencesCustom *self = VIGIE_PREFERENCES_CUSTOM (object);

  g_cancellable_cancel (self->detect_cancellable);
  g_clear_object (&self->detect_cancellable);

  G_OBJECT_CLASS (vigie_preferences_custom_parent_class)->dispose (object);
}

static void
vigie_preferences_custom_finalize (GObject *object)
{
  VigiePreferencesCustom *self = VIGIE_PREFERENCES_CUSTOM (object);

  g_clear_pointer (&self->custom_shown, g_ptr_array_unref);
  g_free (self->editing_id);
  g_free (self->editing_feed);
  g_free (self->editing_status_page);
  g_free (self->detected_page);
  g_free (self->detected_feed);

  G_OBJECT_CLASS (vigie_preferences_custom_parent_class)->finalize (object);
}

static void
vigie_preferences_custom_class_init (VigiePreferencesCustomClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  VigiePreferencesPageClass *page_class = VIGIE_PREFERENCES_PAGE_CLASS (klass);

  object_class->constructed = vigie_preferences_custom_constructed;
  object_class->dispose = vigie_preferences_custom_dispose;
  object_class->finalize = vigie_preferences_custom_finalize;
  page_class->sync = vigie_preferences_custom_sync;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/vigie-preferences-custom.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, VigiePreferencesCustom, name)
  BIND (custom_stack);
  BIND (custom_list);
  BIND (editor_title);
  BIND (name_entry);
  BIND (id_entry);
  BIND (site_entry);
  BIND (status_entry);
  BIND (name_error);
  BIND (id_error);
  BIND (site_error);
  BIND (feed_kinds_label);
  BIND (detect_label);
  BIND (detect_spinner);
  BIND (save_button);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_name_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_id_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_site_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_status_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_detect_clicked);
}

static void
vigie_preferences_custom_init (VigiePreferencesCustom *self)
{
  g_autoptr(GString) kinds = g_string_new (NULL);
  g_autofree char *hint = NULL;
  GtkWidget *none;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->custom_shown = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_service_unref);

  /* The formats Vigie reads, from the one table of them. */
  for (guint i = 0; i < vigie_feed_format_count (); i++)
    {
      if (i > 0)
        g_string_append (kinds, ", ");
      g_string_append (kinds, vigie_report_feed_kind_label (vigie_feed_format_nth (i)->kind));
    }
  /* Translators: %s lists kinds of status page: "Atlassian Statuspage, Slack status API, …" */
  hint = g_strdup_printf (_("Paste the address of the service's status page. Vigie recognises: %s."),
                          kinds->str);
  gtk_label_set_text (self->feed_kinds_label, hint);

  none = gtk_label_new (_("No service of your own yet"));
  gtk_style_context_add_class (gtk_widget_get_style_context (none), "dim-label");
  g_object_set (none, "margin", 18, NULL);
  gtk_widget_show (none);
  gtk_list_box_set_placeholder (self->custom_list, none);
}

/**
 * vigie_preferences_custom_new:
 * @config: the settings to edit
 *
 * Returns: (transfer floating): a new Your Services page
 */
GtkWidget *
vigie_preferences_custom_new (VigieConfig *config)
{
  g_return_val_if_fail (VIGIE_IS_CONFIG (config), NULL);
  return g_object_new (VIGIE_TYPE_PREFERENCES_CUSTOM, "config", config, NULL);
}

/**
 * vigie_preferences_custom_is_detecting:
 * @self: a #VigiePreferencesCustom
 *
 * Returns: whether a status feed detection is under way
 */
gboolean
vigie_preferences_custom_is_detecting (VigiePreferencesCustom *self)
{
  g_return_val_if_fail (VIGIE_IS_PREFERENCES_CUSTOM (self), FALSE);
  return self->detecting;
}
