/* vigie-probe.c — one round of evidence; see the header for the contract.
 *
 * Threading: vigie_probe_run_async() copies its input, runs the whole round
 * (requests, then parsing) on a GTask worker thread, and hands the finished
 * VigieRound back on the caller's main context. The feed cache (ETag,
 * Last-Modified and last body per feed URL) is touched only by the worker,
 * under a mutex in case two rounds overlap.
 */
#define G_LOG_DOMAIN "vigie-probe"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "vigie-probe.h"
#include "vigie-verdict.h"

#include "vigie-feed-format.h"

typedef struct
{
  char *etag;
  char *last_modified;
  GBytes *body;
  /* Reports parsed from @body, by filter ("" for none): an unchanged feed
   * (a 304) then costs no parsing at all. */
  GHashTable *reports;
} FeedCacheEntry;

struct _VigieProbe
{
  GObject parent_instance;

  VigieHttp *http;
  GMutex cache_lock;
  GHashTable *feed_cache;  /* feed URL → FeedCacheEntry* */
};

G_DEFINE_FINAL_TYPE (VigieProbe, vigie_probe, G_TYPE_OBJECT)

static void
feed_cache_entry_free (FeedCacheEntry *entry)
{
  g_free (entry->etag);
  g_free (entry->last_modified);
  g_clear_pointer (&entry->body, g_bytes_unref);
  g_clear_pointer (&entry->reports, g_hash_table_unref);
  g_free (entry);
}

/**
 * vigie_observation_copy:
 * @observation: an observation
 *
 * Returns: (transfer full): a deep copy
 */
VigieObservation *
vigie_observation_copy (const VigieObservation *observation)
{
  VigieObservation *copy;

  g_return_val_if_fail (observation != NULL, NULL);

  copy = g_memdup2 (observation, sizeof *observation);
  copy->service = vigie_service_ref (observation->service);
  copy->message = g_strdup (observation->message);
  copy->official = observation->official ? vigie_feed_report_copy (observation->official) : NULL;
  copy->feed_problem = g_strdup (observation->feed_problem);
  return copy;
}

void
vigie_observation_free (VigieObservation *observation)
{
  if (observation == NULL)
    return;
  g_clear_pointer (&observation->service, vigie_service_unref);
  g_free (observation->message);
  g_clear_pointer (&observation->official, vigie_feed_report_free);
  g_free (observation->feed_problem);
  g_free (observation);
}

/**
 * vigie_observation_site_ok:
 * @observation: an observation
 *
 * Returns: %TRUE if the front door answered (any status below 500)
 */
gboolean
vigie_observation_site_ok (const VigieObservation *observation)
{
  g_return_val_if_fail (observation != NULL, FALSE);
  return observation->layer == VIGIE_LAYER_OK;
}

/**
 * vigie_observation_official_level:
 * @observation: an observation
 *
 * Returns: the official level, %VIGIE_OFFICIAL_UNKNOWN when there is no evidence
 */
VigieOfficialLevel
vigie_observation_official_level (const VigieObservation *observation)
{
  g_return_val_if_fail (observation != NULL, VIGIE_OFFICIAL_UNKNOWN);
  return observation->official ? observation->official->level : VIGIE_OFFICIAL_UNKNOWN;
}

/**
 * vigie_observation_verdict:
 * @observation: an observation from a round whose connectivity was online
 *
 * The one-shot verdict of DESIGN.md §1, without confirmation over time: an
 * official major outage, or a failing probe, is "down" (a failing probe under
 * official maintenance is "maintenance"; official pages lag, so a failing
 * probe beside an "all operational" page is still "down"); an official minor
 * or partial outage is "degraded".
 *
 * Returns: the verdict for this observation alone
 */
VigieState
vigie_observation_verdict (const VigieObservation *observation)
{
  g_return_val_if_fail (observation != NULL, VIGIE_STATE_UNKNOWN);

  if (observation->layer == VIGIE_LAYER_CANCELLED)
    return VIGIE_STATE_UNKNOWN;
  return vigie_verdict_once (vigie_observation_official_level (observation),
                             vigie_observation_site_ok (observation));
}

void
vigie_round_free (VigieRound *round)
{
  if (round == NULL)
    return;
  g_clear_pointer (&round->connectivity_evidence, vigie_connectivity_evidence_free);
  g_clear_pointer (&round->observations, g_ptr_array_unref);
  g_free (round);
}

static void
vigie_probe_finalize (GObject *object)
{
  VigieProbe *self = VIGIE_PROBE (object);

  g_clear_pointer (&self->feed_cache, g_hash_table_unref);
  g_mutex_clear (&self->cache_lock);

  G_OBJECT_CLASS (vigie_probe_parent_class)->finalize (object);
}

static void
vigie_probe_dispose (GObject *object)
{
  VigieProbe *self = VIGIE_PROBE (object);

  g_clear_object (&self->http);

  G_OBJECT_CLASS (vigie_probe_parent_class)->dispose (object);
}

static void
vigie_probe_class_init (VigieProbeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vigie_probe_dispose;
  object_class->finalize = vigie_probe_finalize;
}

static void
vigie_probe_init (VigieProbe *self)
{
  g_mutex_init (&self->cache_lock);
  self->feed_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) feed_cache_entry_free);
}

/**
 * vigie_probe_new:
 * @http: the HTTP engine to run rounds with
 *
 * Returns: (transfer full): a new probe
 */
VigieProbe *
vigie_probe_new (VigieHttp *http)
{
  VigieProbe *self;

  g_return_val_if_fail (VIGIE_IS_HTTP (http), NULL);

  self = g_object_new (VIGIE_TYPE_PROBE, NULL);
  self->http = g_object_ref (http);
  return self;
}

/* What a round was asked to do, copied so the worker owns it. */
typedef struct
{
  GPtrArray *services;  /* VigieService*, refs */
  GStrv connectivity_urls;
} RoundInput;

static void
round_input_free (RoundInput *input)
{
  g_ptr_array_unref (input->services);
  g_strfreev (input->connectivity_urls);
  g_free (input);
}

static RoundInput *
round_input_new (GPtrArray         *services,
                 const char *const *connectivity_urls)
{
  RoundInput *input = g_new0 (RoundInput, 1);

  input->services = g_ptr_array_new_full (services->len, (GDestroyNotify) vigie_service_unref);
  for (guint i = 0; i < services->len; i++)
    g_ptr_array_add (input->services, vigie_service_ref (g_ptr_array_index (services, i)));
  input->connectivity_urls = g_strdupv ((char **) connectivity_urls);
  return input;
}

static VigieHttpRequest *
site_request_new (VigieService *service)
{
  VigieHttpRequest *request;

  if (strstr (service->site, "://") == NULL)
    {
      /* A bare host:port: a TCP check. */
      g_autofree char *url = g_strdup_printf ("tcp://%s", service->site);
      request = vigie_http_request_new (url, VIGIE_REQUEST_CONNECT);
    }
  else
    request = vigie_http_request_new (service->site, VIGIE_REQUEST_HEADERS);
  request->allow_plain_http = service->origin == VIGIE_SERVICE_CUSTOM;
  return request;
}

static VigieHttpRequest *
feed_request_new (VigieProbe   *self,
                  VigieService *service)
{
  VigieHttpRequest *request = vigie_http_request_new (service->feed_url, VIGIE_REQUEST_BODY);
  FeedCacheEntry *cached;

  request->max_body = vigie_feed_max_size (service->feed_kind);
  request->allow_plain_http = service->origin == VIGIE_SERVICE_CUSTOM;

  g_mutex_lock (&self->cache_lock);
  cached = g_hash_table_lookup (self->feed_cache, service->feed_url);
  if (cached != NULL && cached->body != NULL)
    {
      request->etag = g_strdup (cached->etag);
      request->last_modified = g_strdup (cached->last_modified);
    }
  g_mutex_unlock (&self->cache_lock);
  return request;
}

/* The feed's body for this round: fresh, or the cached one after a 304.
 * Returns NULL and sets @problem when the feed gives no evidence. */
static GBytes *
feed_body (VigieProbe              *self,
           const char              *url,
           const VigieHttpResponse *response,
           char                   **problem)
{
  FeedCacheEntry *cached;
  GBytes *body = NULL;

  g_mutex_lock (&self->cache_lock);
  cached = g_hash_table_lookup (self->feed_cache, url);

  if (response->layer == VIGIE_LAYER_OK && response->not_modified && cached && cached->body)
    body = g_bytes_ref (cached->body);
  else if (response->layer == VIGIE_LAYER_OK && response->http_status == 200 && response->body)
    {
      if (cached == NULL)
        {
          cached = g_new0 (FeedCacheEntry, 1);
          cached->reports = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                   (GDestroyNotify) vigie_feed_report_free);
          g_hash_table_insert (self->feed_cache, g_strdup (url), cached);
        }
      g_hash_table_remove_all (cached->reports);
      g_free (cached->etag);
      g_free (cached->last_modified);
      g_clear_pointer (&cached->body, g_bytes_unref);
      cached->etag = g_strdup (response->etag);
      cached->last_modified = g_strdup (response->last_modified);
      cached->body = g_bytes_ref (response->body);
      body = g_bytes_ref (response->body);
    }
  else if (response->layer == VIGIE_LAYER_OK)
    *problem = g_strdup_printf (_("the official status feed answered HTTP %u"),
                                response->http_status);
  else
    *problem = g_strdup_printf (_("the official status feed could not be fetched: %s"),
                                response->message ? response->message
                                                  : vigie_layer_to_string (response->layer));
  g_mutex_unlock (&self->cache_lock);
  return body;
}

static void
remember_report (VigieProbe            *self,
                 VigieService          *service,
                 const VigieFeedReport *report)
{
  FeedCacheEntry *cached;

  g_mutex_lock (&self->cache_lock);
  cached = g_hash_table_lookup (self->feed_cache, service->feed_url);
  if (cached != NULL)
    g_hash_table_replace (cached->reports,
                          g_strdup (service->feed_filter ? service->feed_filter : ""),
                          vigie_feed_report_copy (report));
  g_mutex_unlock (&self->cache_lock);
}

static void
observe_feed (VigieProbe              *self,
              VigieObservation        *observation,
              const VigieHttpResponse *response,
              GHashTable              *parsed)
{
  VigieService *service = observation->service;
  const VigieFeedFormat *format;
  g_autofree char *key = g_strconcat (service->feed_url, "\n", service->feed_filter, NULL);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  VigieFeedReport *report;
  gsize length;
  const guint8 *data;

  /* Services sharing a feed and a filter share one parse. */
  report = g_hash_table_lookup (parsed, key);
  if (report != NULL)
    {
      observation->official = vigie_feed_report_copy (report);
      return;
    }

  /* Unchanged since the last round: the report parsed then still holds,
   * unless the format reads the clock too (whether a Google incident is
   * current depends on the time, not only on the text). */
  format = vigie_feed_format_get (service->feed_kind);
  if (response->layer == VIGIE_LAYER_OK && response->not_modified
      && format != NULL && !format->clock_dependent)
    {
      FeedCacheEntry *cached;
      VigieFeedReport *previous = NULL;

      g_mutex_lock (&self->cache_lock);
      cached = g_hash_table_lookup (self->feed_cache, service->feed_url);
      if (cached != NULL)
        previous = g_hash_table_lookup (cached->reports, service->feed_filter ? service->feed_filter
                                                                              : "");
      if (previous != NULL)
        observation->official = vigie_feed_report_copy (previous);
      g_mutex_unlock (&self->cache_lock);
      if (observation->official != NULL)
        return;
    }

  body = feed_body (self, service->feed_url, response, &observation->feed_problem);
  if (body == NULL)
    return;

  data = g_bytes_get_data (body, &length);
  report = vigie_feed_parse (service->feed_kind, data, length, service->feed_filter,
                             g_get_real_time () / G_USEC_PER_SEC, &error);
  if (report == NULL)
    {
      observation->feed_problem = g_strdup_printf (_("the official status feed could not be "
                                                     "read: %s"),
                                                   error->message);
      return;
    }
  vigie_feed_report_resolve_links (report, response->final_url ? response->final_url
                                                               : service->feed_url);
  observation->official = vigie_feed_report_copy (report);
  remember_report (self, service, report);
  g_hash_table_insert (parsed, g_steal_pointer (&key), report);
}

static VigieRound *
round_offline (RoundInput *input,
               gint64      started_at)
{
  VigieRound *round = g_new0 (VigieRound, 1);

  round->connectivity = VIGIE_CONNECTIVITY_OFFLINE;
  round->connectivity_evidence =
    vigie_connectivity_evidence_new (VIGIE_CONNECTIVITY_WHY_NO_NETWORK);
  round->started_at = started_at;
  round->observations = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_observation_free);
  for (guint i = 0; i < input->services->len; i++)
    {
      VigieObservation *observation = g_new0 (VigieObservation, 1);
      observation->service = vigie_service_ref (g_ptr_array_index (input->services, i));
      observation->layer = VIGIE_LAYER_CANCELLED;
      observation->message = g_strdup (_("not checked: no network"));
      observation->observed_at = started_at;
      g_ptr_array_add (round->observations, observation);
    }
  return round;
}

static VigieRound *
run_round (VigieProbe    *self,
           RoundInput    *input,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_http_request_free);
  g_autoptr(GPtrArray) responses = NULL;
  g_autoptr(GPtrArray) baselines = NULL;
  g_autoptr(GHashTable) feed_index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) parsed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) vigie_feed_report_free);
  g_autoptr(VigieRound) round = NULL;
  guint n_baselines = g_strv_length (input->connectivity_urls);
  guint n_services = input->services->len;
  gint64 started_at = g_get_real_time ();
  gint64 start = g_get_monotonic_time ();

  if (!vigie_connectivity_network_available ())
    return round_offline (input, started_at);

  /* Layout of the batch: baselines, then one site per service, then each
   * distinct feed once. */
  for (guint i = 0; i < n_baselines; i++)
    g_ptr_array_add (requests, vigie_connectivity_request_new (input->connectivity_urls[i]));
  for (guint i = 0; i < n_services; i++)
    g_ptr_array_add (requests, site_request_new (g_ptr_array_index (input->services, i)));
  for (guint i = 0; i < n_services; i++)
    {
      VigieService *service = g_ptr_array_index (input->services, i);
      if (service->feed_url == NULL || g_hash_table_contains (feed_index, service->feed_url))
        continue;
      g_hash_table_insert (feed_index, service->feed_url, GUINT_TO_POINTER (requests->len));
      g_ptr_array_add (requests, feed_request_new (self, service));
    }

  responses = vigie_http_run_sync (self->http, requests, cancellable, error);
  if (responses == NULL)
    return NULL;

  round = g_new0 (VigieRound, 1);
  round->started_at = started_at;
  round->n_requests = requests->len;
  for (guint i = 0; i < responses->len; i++)
    round->bytes_down += ((VigieHttpResponse *) g_ptr_array_index (responses, i))->bytes_down;

  baselines = g_ptr_array_new ();
  for (guint i = 0; i < n_baselines; i++)
    g_ptr_array_add (baselines, g_ptr_array_index (responses, i));
  round->connectivity = vigie_connectivity_judge ((const char *const *) input->connectivity_urls,
                                                  baselines, &round->connectivity_evidence);

  round->observations = g_ptr_array_new_full (n_services, (GDestroyNotify) vigie_observation_free);
  for (guint i = 0; i < n_services; i++)
    {
      VigieService *service = g_ptr_array_index (input->services, i);
      const VigieHttpResponse *site = g_ptr_array_index (responses, n_baselines + i);
      VigieObservation *observation = g_new0 (VigieObservation, 1);

      observation->service = vigie_service_ref (service);
      observation->layer = site->layer;
      observation->http_status = site->http_status;
      observation->latency_ms = site->total_ms;
      observation->message = g_strdup (site->message);
      observation->observed_at = g_get_real_time ();
      if (service->feed_url != NULL)
        {
          guint index = GPOINTER_TO_UINT (g_hash_table_lookup (feed_index, service->feed_url));
          observe_feed (self, observation, g_ptr_array_index (responses, index), parsed);
        }
      g_ptr_array_add (round->observations, observation);
    }

  round->duration_ms = (g_get_monotonic_time () - start) / 1000.0;
  return g_steal_pointer (&round);
}

static void
run_in_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;
  VigieRound *round = run_round (source_object, task_data, cancellable, &error);

  if (round == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, round, (GDestroyNotify) vigie_round_free);
}

/**
 * vigie_probe_run_async:
 * @self: a #VigieProbe
 * @services: (element-type VigieService): the services to observe
 * @connectivity_urls: the "is it me?" baselines
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the calling thread's main context when done
 * @user_data: data for @callback
 *
 * Runs one round on a worker thread. @services and @connectivity_urls are
 * copied: the caller may change its own at once.
 */
void
vigie_probe_run_async (VigieProbe          *self,
                       GPtrArray           *services,
                       const char *const   *connectivity_urls,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (VIGIE_IS_PROBE (self));
  g_return_if_fail (services != NULL);
  g_return_if_fail (connectivity_urls != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vigie_probe_run_async);
  g_task_set_task_data (task, round_input_new (services, connectivity_urls),
                        (GDestroyNotify) round_input_free);
  g_task_run_in_thread (task, run_in_thread);
}

/**
 * vigie_probe_run_finish:
 * @self: a #VigieProbe
 * @result: the #GAsyncResult
 * @error: return location for a #GError (only cancellation and internal
 *   failures: a service being down is an observation, not an error)
 *
 * Returns: (transfer full) (nullable): the round
 */
VigieRound *
vigie_probe_run_finish (VigieProbe    *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * vigie_probe_run_sync:
 * @self: a #VigieProbe
 * @services: (element-type VigieService): the services to observe
 * @connectivity_urls: the "is it me?" baselines
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Runs one round on the calling thread (for `vigie --check`).
 *
 * Returns: (transfer full) (nullable): the round
 */
VigieRound *
vigie_probe_run_sync (VigieProbe         *self,
                      GPtrArray          *services,
                      const char *const  *connectivity_urls,
                      GCancellable       *cancellable,
                      GError            **error)
{
  RoundInput *input;
  VigieRound *round;

  g_return_val_if_fail (VIGIE_IS_PROBE (self), NULL);
  g_return_val_if_fail (services != NULL, NULL);
  g_return_val_if_fail (connectivity_urls != NULL, NULL);

  input = round_input_new (services, connectivity_urls);
  round = run_round (self, input, cancellable, error);
  round_input_free (input);
  return round;
}
