/* vigie-alerts.c — which transitions become alerts, and their words. */
#define G_LOG_DOMAIN "vigie-alerts"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "vigie-alerts.h"
#include "vigie-report.h"

static void
action_free (VigieAlertAction *action)
{
  g_free (action->id);
  g_free (action->label);
  g_free (action->action);
  g_clear_pointer (&action->target, g_variant_unref);
  g_free (action);
}

static void
add_action (VigieAlert *alert,
            const char *id,
            const char *label,
            const char *action,
            GVariant   *target)
{
  VigieAlertAction *button = g_new0 (VigieAlertAction, 1);

  button->id = g_strdup (id);
  button->label = g_strdup (label);
  button->action = g_strdup (action);
  button->target = target != NULL ? g_variant_ref_sink (target) : NULL;
  g_ptr_array_add (alert->actions, button);
}

/* What a person can do from the alert: read the details, see what the
 * vendor says, and, while something is wrong, quiet Vigie for an hour or
 * about these services until they work again. Made again when the alert's
 * services change. */
static void
set_actions (VigieAlert *alert)
{
  g_ptr_array_set_size (alert->actions, 0);
  /* Translators: buttons of an outage notification; keep them short */
  add_action (alert, "details", _("Details"), "details", NULL);
  if (alert->status_page != NULL && alert->kind != VIGIE_ALERT_RECOVERED)
    /* Translators: a notification button: opens the vendor's status page */
    add_action (alert, "status", _("Status Page"), "open-url",
                g_variant_new_string (alert->status_page));
  if (alert->kind != VIGIE_ALERT_RECOVERED)
    {
      /* Translators: a notification button: no notifications for an hour */
      add_action (alert, "snooze", _("Snooze 1 Hour"), "snooze", g_variant_new_uint32 (3600));
      /* Translators: a notification button: nothing more about these
       * services until they work again */
      add_action (alert, "mute", _("Mute Until It's Back"), "mute",
                  g_variant_new_strv ((const char *const *) alert->service_ids, -1));
    }
}

/**
 * vigie_alert_find_action:
 * @alert: an alert
 * @id: an action's key
 *
 * Returns: (nullable) (transfer none): the alert's action with that key
 */
const VigieAlertAction *
vigie_alert_find_action (const VigieAlert *alert,
                         const char       *id)
{
  g_return_val_if_fail (alert != NULL, NULL);

  for (guint i = 0; i < alert->actions->len; i++)
    {
      const VigieAlertAction *action = g_ptr_array_index (alert->actions, i);

      if (g_strcmp0 (action->id, id) == 0)
        return action;
    }
  return NULL;
}

VigieAlert *
vigie_alert_copy (const VigieAlert *alert)
{
  VigieAlert *copy;

  g_return_val_if_fail (alert != NULL, NULL);

  copy = g_memdup2 (alert, sizeof *alert);
  copy->provider = g_strdup (alert->provider);
  copy->summary = g_strdup (alert->summary);
  copy->body = g_strdup (alert->body);
  copy->service_ids = g_strdupv (alert->service_ids);
  copy->status_page = g_strdup (alert->status_page);
  copy->actions = g_ptr_array_new_with_free_func ((GDestroyNotify) action_free);
  set_actions (copy);
  return copy;
}

void
vigie_alert_free (VigieAlert *alert)
{
  if (alert == NULL)
    return;
  g_free (alert->provider);
  g_free (alert->summary);
  g_free (alert->body);
  g_strfreev (alert->service_ids);
  g_free (alert->status_page);
  g_clear_pointer (&alert->actions, g_ptr_array_unref);
  g_free (alert);
}

static gboolean
alert_kind_for (const VigieTransition *t,
                VigieAlertKind        *kind)
{
  if (t->kind == VIGIE_TRANSITION_FLAPPING_STARTED)
    {
      *kind = VIGIE_ALERT_UNSTABLE;
      return TRUE;
    }
  switch (t->to)
    {
    case VIGIE_STATE_DOWN:
      *kind = VIGIE_ALERT_DOWN;
      return t->from != VIGIE_STATE_DOWN;
    case VIGIE_STATE_DEGRADED:
    case VIGIE_STATE_MAINTENANCE:
      *kind = VIGIE_ALERT_DEGRADED;
      return t->from != t->to;
    case VIGIE_STATE_OPERATIONAL:
      /* Start-up is not news; coming back is. */
      *kind = VIGIE_ALERT_RECOVERED;
      return t->from != VIGIE_STATE_UNKNOWN && t->from != VIGIE_STATE_OPERATIONAL;
    case VIGIE_STATE_UNKNOWN:
    default:
      return FALSE;
    }
}

static gboolean
kind_enabled (VigieConfig    *config,
              VigieAlertKind  kind)
{
  switch (kind)
    {
    case VIGIE_ALERT_DOWN:
    case VIGIE_ALERT_UNSTABLE:
      return vigie_config_get_notify (config, VIGIE_NOTIFY_DOWN);
    case VIGIE_ALERT_DEGRADED:
      return vigie_config_get_notify (config, VIGIE_NOTIFY_DEGRADED);
    case VIGIE_ALERT_RECOVERED:
    default:
      return vigie_config_get_notify (config, VIGIE_NOTIFY_RECOVERED);
    }
}

static gboolean
wanted (const VigieAlertContext *context,
        const VigieTransition   *t,
        VigieAlertKind           kind)
{
  VigieConfig *config = context->config;

  if (!vigie_config_get_notifications_enabled (config) || context->snoozed)
    return FALSE;
  if (!kind_enabled (config, kind))
    return FALSE;
  if (vigie_config_get_mute (config, t->service_id, context->now_us / G_USEC_PER_SEC) != 0)
    return FALSE;
  /* Quiet hours let through only confirmed outages of the chosen services. */
  if (vigie_config_in_quiet_hours (config, context->minute_of_day))
    return kind == VIGIE_ALERT_DOWN
           && g_strv_contains (vigie_config_get_quiet_hours_allow (config), t->service_id);
  return TRUE;
}

static char *
summary_down (const char *const *names)
{
  guint n = g_strv_length ((char **) names);
  g_autofree char *list = vigie_report_join_names (names);

  /* Translators: %s is one service or a list: "Facebook and Instagram are down" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s is down", "%s are down", n), list);
}

static char *
summary_for (VigieAlertKind     kind,
             const char *const *names,
             GPtrArray         *group)
{
  guint n = g_strv_length ((char **) names);
  g_autofree char *list = vigie_report_join_names (names);
  const VigieTransition *first = g_ptr_array_index (group, 0);

  switch (kind)
    {
    case VIGIE_ALERT_DOWN:
      return summary_down (names);
    case VIGIE_ALERT_DEGRADED:
      if (first->to == VIGIE_STATE_MAINTENANCE && n == 1)
        /* Translators: a notification title; %s is a service */
        return g_strdup_printf (_("%s: maintenance in progress"), list);
      /* Translators: a notification title; %s is one service or a list */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s is having problems",
                                           "%s are having problems", n),
                              list);
    case VIGIE_ALERT_UNSTABLE:
      /* Translators: a notification title: the service keeps going up and
       * down; %s is one service or a list */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s is unstable", "%s are unstable",
                                           n),
                              list);
    case VIGIE_ALERT_RECOVERED:
    default:
      if (n == 1 && first->from == VIGIE_STATE_DOWN && first->since > 0)
        {
          g_autofree char *lasted = vigie_report_duration ((first->at - first->since)
                                                           / G_USEC_PER_SEC);
          /* Translators: "Facebook is back — down for 6 h 12 min" */
          return g_strdup_printf (_("%s is back — down for %s"), list, lasted);
        }
      /* Translators: a notification title; %s is one service or a list */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s is back", "%s are back", n), list);
    }
}

/* The evidence, one fact per line: whose fault, what failed, what the
 * vendor says, since when. */
static char *
body_for (const VigieAlertContext *context,
          VigieAlertKind           kind,
          GPtrArray               *group)
{
  g_autoptr(GString) body = g_string_new (NULL);
  const VigieTransition *first = g_ptr_array_index (group, 0);

  if (kind == VIGIE_ALERT_UNSTABLE)
    {
      g_string_append (body, _("It keeps going up and down. Vigie stays quiet until it settles."));
      return g_string_free (g_steal_pointer (&body), FALSE);
    }

  if (kind == VIGIE_ALERT_DOWN && context->connectivity == VIGIE_CONNECTIVITY_ONLINE)
    g_string_append (body, _("It's not you: your connection works."));

  for (guint i = 0; i < group->len; i++)
    {
      const VigieTransition *t = g_ptr_array_index (group, i);

      if (kind == VIGIE_ALERT_RECOVERED)
        {
          if (group->len > 1 && t->since > 0)
            {
              g_autofree char *lasted = vigie_report_duration ((t->at - t->since) / G_USEC_PER_SEC);
              if (body->len)
                g_string_append_c (body, '\n');
              /* Translators: "Facebook: back after 6 h 12 min" */
              g_string_append_printf (body, _("%s: back after %s"), t->service_name, lasted);
            }
          continue;
        }
      /* The reason already names the host and the failing layer, or the
       * official incident; with several services, one line each. */
      if (t->reason != NULL && *t->reason != '\0')
        {
          g_autofree char *reason = g_strdup (t->reason);
          const char *works = _("; your connection works");

          /* The first line already says it once for all. */
          if (kind == VIGIE_ALERT_DOWN && context->connectivity == VIGIE_CONNECTIVITY_ONLINE
              && g_str_has_suffix (reason, works))
            reason[strlen (reason) - strlen (works)] = '\0';
          if (body->len)
            g_string_append_c (body, '\n');
          if (group->len > 1)
            g_string_append_printf (body, "%s — ", t->service_name);
          g_string_append (body, reason);
        }
    }

  if (kind != VIGIE_ALERT_RECOVERED)
    {
      g_autofree char *since = vigie_report_time (first->at, context->now_us);
      if (body->len)
        g_string_append_c (body, '\n');
      if (first->from == VIGIE_STATE_UNKNOWN)
        g_string_append (body, _("Down since before Vigie started."));
      else
        /* Translators: %s is a time ("17:40") */
        g_string_append_printf (body, _("Since %s."), since);
    }
  return g_string_free (g_steal_pointer (&body), FALSE);
}

/**
 * vigie_alerts_build:
 * @context: settings and circumstances
 * @transitions: (element-type VigieTransition): one round's transitions
 *
 * Returns: (transfer full) (element-type VigieAlert): the alerts to show,
 *   one per provider and kind, in the order their first transition came
 */
GPtrArray *
vigie_alerts_build (const VigieAlertContext *context,
                    GPtrArray               *transitions)
{
  GPtrArray *alerts = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_alert_free);
  g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GArray) kinds = g_array_new (FALSE, FALSE, sizeof (VigieAlertKind));

  g_return_val_if_fail (context != NULL && VIGIE_IS_CONFIG (context->config), alerts);
  g_return_val_if_fail (transitions != NULL, alerts);

  for (guint i = 0; i < transitions->len; i++)
    {
      VigieTransition *t = g_ptr_array_index (transitions, i);
      VigieAlertKind kind;
      GPtrArray *group = NULL;

      if (!alert_kind_for (t, &kind) || !wanted (context, t, kind))
        continue;
      for (guint g = 0; g < groups->len && group == NULL; g++)
        {
          GPtrArray *candidate = g_ptr_array_index (groups, g);
          VigieTransition *head = g_ptr_array_index (candidate, 0);
          if (g_array_index (kinds, VigieAlertKind, g) == kind
              && g_strcmp0 (head->provider, t->provider) == 0)
            group = candidate;
        }
      if (group == NULL)
        {
          group = g_ptr_array_new ();
          g_ptr_array_add (groups, group);
          g_array_append_val (kinds, kind);
        }
      g_ptr_array_add (group, t);
    }

  for (guint g = 0; g < groups->len; g++)
    {
      GPtrArray *group = g_ptr_array_index (groups, g);
      VigieAlertKind kind = g_array_index (kinds, VigieAlertKind, g);
      const VigieTransition *first = g_ptr_array_index (group, 0);
      g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
      g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
      g_auto(GStrv) name_list = NULL;
      VigieAlert *alert = g_new0 (VigieAlert, 1);
      VigieService *service;

      for (guint i = 0; i < group->len; i++)
        {
          const VigieTransition *t = g_ptr_array_index (group, i);
          g_strv_builder_add (ids, t->service_id);
          g_strv_builder_add (names, t->service_name);
        }
      name_list = g_strv_builder_end (names);

      alert->kind = kind;
      alert->provider = g_strdup (first->provider);
      alert->service_ids = g_strv_builder_end (ids);
      alert->summary = summary_for (kind, (const char *const *) name_list, group);
      alert->body = body_for (context, kind, group);
      alert->urgent = kind == VIGIE_ALERT_DOWN;
      service = vigie_config_lookup_service (context->config, first->service_id);
      if (first->incident_url != NULL)
        alert->status_page = g_strdup (first->incident_url);
      else if (service != NULL)
        alert->status_page = g_strdup (service->status_page);
      alert->actions = g_ptr_array_new_with_free_func ((GDestroyNotify) action_free);
      set_actions (alert);
      g_ptr_array_add (alerts, alert);
    }

  return alerts;
}

/**
 * vigie_alert_merge_ongoing:
 * @alert: a new %VIGIE_ALERT_DOWN alert
 * @still_down: ids of the provider's services that an earlier alert on
 *   screen announced and that are still down
 * @config: settings, to name the services
 *
 * When a provider's outage spreads ("Facebook is down", then Instagram a
 * round later), the notification on screen is replaced, so the new one must
 * name them all: "Facebook and Instagram are down".
 */
void
vigie_alert_merge_ongoing (VigieAlert        *alert,
                           const char *const *still_down,
                           VigieConfig       *config)
{
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) name_list = NULL;

  g_return_if_fail (alert != NULL && alert->kind == VIGIE_ALERT_DOWN);
  g_return_if_fail (VIGIE_IS_CONFIG (config));

  for (guint pass = 0; pass < 2; pass++)
    {
      const char *const *list = pass == 0 ? still_down : (const char *const *) alert->service_ids;
      for (guint i = 0; list != NULL && list[i] != NULL; i++)
        {
          VigieService *service = vigie_config_lookup_service (config, list[i]);
          if (service == NULL || (pass == 0 && g_strv_contains ((const char *const *)
                                                                alert->service_ids, list[i])))
            continue;
          g_strv_builder_add (ids, list[i]);
          g_strv_builder_add (names, service->name);
        }
    }
  name_list = g_strv_builder_end (names);
  if (name_list[0] == NULL)
    return;
  g_strfreev (alert->service_ids);
  alert->service_ids = g_strv_builder_end (ids);
  g_free (alert->summary);
  alert->summary = summary_down ((const char *const *) name_list);
  set_actions (alert);
}
