/* vigie-monitor-apply.c — what an applied round changes: the tracker's
 * states, the overall state, the outage log, the hooks and the signals, in
 * that order; also the log's closing entries when monitoring stops. The
 * contract is in vigie-monitor.h.
 */
#define G_LOG_DOMAIN "vigie-monitor"

#include "config.h"

#include <glib/gi18n-lib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "vigie-monitor-private.h"
#include "vigie-report.h"

void
monitor_update_overall (VigieMonitor *self)
{
  VigieOverall overall;

  if (self->paused)
    overall = VIGIE_OVERALL_PAUSED;
  else if (self->connectivity == VIGIE_CONNECTIVITY_OFFLINE
           || self->connectivity == VIGIE_CONNECTIVITY_CAPTIVE_PORTAL)
    overall = VIGIE_OVERALL_OFFLINE;
  else
    switch (vigie_tracker_worst_state (self->tracker))
      {
      case VIGIE_STATE_DOWN: overall = VIGIE_OVERALL_DOWN; break;
      case VIGIE_STATE_DEGRADED: overall = VIGIE_OVERALL_DEGRADED; break;
      case VIGIE_STATE_MAINTENANCE: overall = VIGIE_OVERALL_MAINTENANCE; break;
      case VIGIE_STATE_OPERATIONAL: overall = VIGIE_OVERALL_OPERATIONAL; break;
      case VIGIE_STATE_UNKNOWN:
      default:
        overall = self->services->len == 0 && self->n_rounds > 0 ? VIGIE_OVERALL_OPERATIONAL
                                                                 : VIGIE_OVERALL_CHECKING;
        break;
      }

  if (overall == self->overall)
    return;
  self->overall = overall;
  g_object_notify_by_pspec (G_OBJECT (self), monitor_properties[PROP_OVERALL]);
}

void
monitor_report_notice (VigieMonitor *self,
                       const char   *message)
{
  g_message ("%s", message);
  g_signal_emit (self, monitor_signals[NOTICE], 0, message);
}

static void
record (VigieMonitor *self,
        GPtrArray    *transitions)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *notice = NULL;
  gboolean was_failing;

  if (self->history == NULL)
    return;
  was_failing = vigie_history_is_failing (self->history);
  if (!vigie_history_record (self->history, transitions, &error) && !was_failing)
    {
      g_autofree char *message =
        g_strdup_printf (_("The outage log could not be written (%s). Monitoring goes on; "
                           "what is already in the log is kept."),
                         error->message);
      monitor_report_notice (self, message);
    }
  /* A damaged file put in the log's place while running is moved aside
   * at the write that finds it: say so then, not at the next start. */
  notice = vigie_history_take_notice (self->history);
  if (notice != NULL)
    monitor_report_notice (self, notice);
}

/* The tracker's transitions are data; the log, the hooks and the alerts
 * also keep the sentence that explains each one, made from the round's
 * evidence for that service. */
static void
explain (GPtrArray  *transitions,
         VigieRound *round)
{
  for (guint i = 0; i < transitions->len; i++)
    {
      VigieTransition *transition = g_ptr_array_index (transitions, i);

      for (guint j = 0; j < round->observations->len; j++)
        {
          const VigieObservation *observation = g_ptr_array_index (round->observations, j);

          if (g_str_equal (observation->service->id, transition->service_id))
            {
              g_free (transition->reason);
              transition->reason = vigie_report_reason (observation, round->connectivity);
              break;
            }
        }
    }
}

void
monitor_apply_round (VigieMonitor *self,
                     VigieRound   *round)
{
  g_autoptr(GPtrArray) transitions = NULL;
  VigieConnectivity before = self->connectivity;

  self->n_rounds++;
  self->last_round_at = round->started_at;

  if (round->connectivity != self->connectivity)
    {
      self->connectivity = round->connectivity;
      g_object_notify_by_pspec (G_OBJECT (self), monitor_properties[PROP_CONNECTIVITY]);
    }
  g_clear_pointer (&self->connectivity_evidence, vigie_connectivity_evidence_free);
  if (round->connectivity_evidence != NULL)
    self->connectivity_evidence = vigie_connectivity_evidence_copy (round->connectivity_evidence);

  transitions = vigie_tracker_observe (self->tracker, round->connectivity, round->observations,
                                       g_get_real_time ());
  explain (transitions, round);
  record (self, transitions);

  monitor_update_overall (self);
  if (before != self->connectivity)
    g_signal_emit (self, monitor_signals[CONNECTIVITY_CHANGED], 0, self->connectivity);
  for (guint i = 0; i < transitions->len; i++)
    {
      VigieTransition *transition = g_ptr_array_index (transitions, i);
      vigie_hooks_run (self->hooks, transition);
      g_signal_emit (self, monitor_signals[SERVICE_CHANGED], 0, transition);
    }
  g_signal_emit (self, monitor_signals[ROUND_FINISHED], 0, round);

#ifdef __GLIBC__
  /* The round's bodies and parsed feeds were allocated on worker threads,
   * whose malloc arenas keep freed pages reserved; an applet that sleeps a
   * minute between rounds should give them back. */
  malloc_trim (0);
#endif

  /* Back online after a spell offline: what the user wants to know now is
   * whether the services are fine, not in a minute. */
  if (before != VIGIE_CONNECTIVITY_ONLINE && before != VIGIE_CONNECTIVITY_UNKNOWN
      && self->connectivity == VIGIE_CONNECTIVITY_ONLINE)
    monitor_schedule_in (self, 0);
  else
    monitor_schedule_next (self);
}

/* Every known state ends when Vigie stops watching. */
void
monitor_record_stop (VigieMonitor *self,
                     gint64        now)
{
  g_autoptr(GPtrArray) transitions = NULL;

  transitions = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_transition_free);
  for (guint i = 0; i < self->services->len; i++)
    {
      VigieService *service = g_ptr_array_index (self->services, i);
      const VigieServiceStatus *status = vigie_tracker_lookup (self->tracker, service->id);
      VigieTransition *transition;

      if (status == NULL || status->state == VIGIE_STATE_UNKNOWN)
        continue;
      transition = vigie_transition_new ();
      transition->service_id = g_strdup (service->id);
      transition->service_name = g_strdup (service->name);
      transition->provider = g_strdup (service->provider);
      transition->from = status->state;
      transition->to = VIGIE_STATE_UNKNOWN;
      transition->at = now;
      transition->since = MIN (status->since_us, now);
      transition->reason = g_strdup (_("Vigie stopped watching"));
      g_ptr_array_add (transitions, transition);
    }
  record (self, transitions);
}
