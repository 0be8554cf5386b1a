/* vigie-alerts.h — what to tell the user about a round's transitions.
 *
 * Pure policy and words, so it is tested without a notification daemon:
 * the notifier (the only libnotify user) just shows what this returns.
 *
 * Contract:
 *  - unknown→operational (start-up) and anything→unknown (Vigie stopped)
 *    are never announced;
 *  - transitions are grouped by provider and kind: one alert says "Facebook,
 *    Instagram, WhatsApp and Messenger are down";
 *  - per-kind switches, per-service mutes (until a time, or until back),
 *    a global snooze, and quiet hours (only confirmed outages of the services
 *    allowed to break through) filter them;
 *  - text is plain: the notifier escapes it before it becomes markup;
 *  - what a person can do from an alert is data too (VigieAlertAction: a
 *    button and the application action it activates), so the notifier only
 *    renders buttons and a new one is a line here, tested without a desktop.
 */
#pragma once

#include <glib.h>

#include "vigie-config.h"
#include "vigie-tracker.h"
#include "vigie-transition.h"

G_BEGIN_DECLS

/**
 * VigieAlertKind:
 * @VIGIE_ALERT_DOWN: services are down
 * @VIGIE_ALERT_DEGRADED: services are degraded or under maintenance
 * @VIGIE_ALERT_RECOVERED: services are back
 * @VIGIE_ALERT_UNSTABLE: services keep going up and down
 */
typedef enum
{
  VIGIE_ALERT_DOWN,
  VIGIE_ALERT_DEGRADED,
  VIGIE_ALERT_RECOVERED,
  VIGIE_ALERT_UNSTABLE,
} VigieAlertKind;

/**
 * VigieAlertAction:
 * @id: the notification action's key ("details", "mute"…)
 * @label: the button, translated
 * @action: the application action it activates ("details", "open-url"…)
 * @target: (nullable): that action's parameter
 *
 * One button of an alert, as data.
 */
typedef struct
{
  char *id;
  char *label;
  char *action;
  GVariant *target;
} VigieAlertAction;

/**
 * VigieAlert:
 * @kind: what happened
 * @provider: the provider the services share
 * @summary: one line ("Facebook and Instagram are down")
 * @body: the evidence, plain text, one fact per line
 * @service_ids: the services concerned
 * @status_page: (nullable): the official status page of the first service
 * @urgent: show as critical (a confirmed outage)
 * @actions: (element-type VigieAlertAction): its buttons, in order
 */
typedef struct
{
  VigieAlertKind kind;
  char *provider;
  char *summary;
  char *body;
  GStrv service_ids;
  char *status_page;
  gboolean urgent;
  GPtrArray *actions;
} VigieAlert;

/**
 * VigieAlertContext:
 * @config: settings (switches, quiet hours, mutes)
 * @connectivity: the user's connection in the round
 * @now_us: wall-clock time, µs
 * @minute_of_day: local time of day, minutes after midnight (for quiet hours)
 * @snoozed: every notification is snoozed
 */
typedef struct
{
  VigieConfig *config;
  VigieConnectivity connectivity;
  gint64 now_us;
  guint minute_of_day;
  gboolean snoozed;
} VigieAlertContext;

GPtrArray  *vigie_alerts_build         (const VigieAlertContext *context,
                                        GPtrArray               *transitions);
VigieAlert *vigie_alert_copy           (const VigieAlert        *alert);
void        vigie_alert_free           (VigieAlert              *alert);
const VigieAlertAction *vigie_alert_find_action (const VigieAlert *alert,
                                                 const char       *id);
void        vigie_alert_merge_ongoing  (VigieAlert              *alert,
                                        const char *const       *still_down,
                                        VigieConfig             *config);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VigieAlert, vigie_alert_free)

G_END_DECLS
