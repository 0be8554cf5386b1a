/* vigie-report.h — words for people: layers, official levels, the user's
 * connection, the one-line reason behind a verdict, durations, times, the
 * banner and the summary to paste.
 *
 * The layer of words. It sits above the modules that decide (probe,
 * connectivity, tracker, which hand over data: layers, levels, evidence,
 * statuses) and below those that show (alerts, the monitor's log and hooks,
 * the CLI, the applet). Nothing it includes includes it back.
 *
 * Every string here is translated. Remote text (incident titles) is quoted
 * as it came: callers that build markup escape it.
 */
#pragma once

#include <glib.h>

#include "vigie-probe.h"
#include "vigie-tracker.h"

G_BEGIN_DECLS

const char *vigie_report_layer           (VigieLayer          layer);
const char *vigie_report_official_level  (VigieOfficialLevel  level);
const char *vigie_report_connectivity    (VigieConnectivity   connectivity);
char       *vigie_report_connectivity_detail (const VigieConnectivityEvidence *evidence);
char       *vigie_report_site_host       (VigieService       *service);
char       *vigie_report_official        (const VigieFeedReport *report);
char       *vigie_report_reason          (const VigieObservation *observation,
                                          VigieConnectivity       connectivity);
char       *vigie_report_status_reason   (VigieService             *service,
                                          const VigieServiceStatus *status);
char       *vigie_report_join_names      (const char *const      *names);
const char *vigie_report_overall_icon    (VigieOverall            overall);
char       *vigie_report_overall         (VigieOverall            overall,
                                          GPtrArray              *services,
                                          VigieTracker           *tracker,
                                          gint64                  paused_until_us,
                                          gint64                  now_us);
guint       vigie_report_collect_state   (GPtrArray              *services,
                                          VigieTracker           *tracker,
                                          VigieState              state,
                                          GPtrArray              *names,
                                          gint64                 *earliest_us);
char       *vigie_report_duration        (gint64                  seconds);
char       *vigie_report_summary         (GPtrArray              *services,
                                          VigieTracker           *tracker,
                                          VigieConnectivity       connectivity,
                                          gint64                  now_us);
char       *vigie_report_time            (gint64                  wall_us,
                                          gint64                  now_us);
char       *vigie_report_banner          (GPtrArray              *services,
                                          VigieTracker           *tracker,
                                          VigieConnectivity       connectivity,
                                          gint64                  now_us);
char       *vigie_report_state_for       (VigieState              state,
                                          gint64                  since_us,
                                          gint64                  now_us);
char       *vigie_report_latest_update   (const VigieFeedReport  *report);
char       *vigie_report_uptime          (double                  fraction);
char       *vigie_report_duration_exact  (gint64                  seconds);
const char *vigie_report_feed_kind_label (VigieFeedKind           kind);

G_END_DECLS
