/* vigie-http.c — the HTTP engine: the #VigieHttp object and its multi worker.
 *
 * With vigie-http-transfer.c and vigie-http-classify.c (see
 * vigie-http-private.h), the only files in Vigie that include curl.h. A batch
 * runs on a GTask worker thread driving one curl multi handle; the multi
 * handle and a curl share (DNS cache, TLS sessions, connections) live as long
 * as the #VigieHttp, so each round reuses the previous round's connections.
 * Batches are serialized: curl handles may move between threads but must
 * never be used by two at once.
 */
#define G_LOG_DOMAIN "vigie-http"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "vigie-http.h"
#include "vigie-http-private.h"

#include <curl/curl.h>

#define DEFAULT_TIMEOUT_S      10
#define DEFAULT_MAX_REDIRECTS  5
#define DEFAULT_MAX_TOTAL      128
#define DEFAULT_MAX_PER_HOST   4
#define DEFAULT_USER_AGENT \
  "Vigie/" PACKAGE_VERSION " (+https://github.com/vigie; desktop status monitor)"

/* The multi loop wakes at least this often even when curl has nothing to say;
 * cancellation does not wait for it (curl_multi_wakeup). */
#define POLL_MS                1000

struct _VigieHttp
{
  GObject parent_instance;

  /* Options, fixed at construction: what each transfer is set up with, and
   * the limits of the multi. */
  VigieHttpSettings settings;
  guint max_total;
  guint max_per_host;
  struct curl_slist *resolve;

  /* Persist across batches. Only the thread running the current batch
   * touches them (plus curl_multi_wakeup (), which is thread-safe, from
   * on_cancelled ()); finalize cannot overlap a batch because each batch's
   * GTask holds a reference. */
  CURLM *multi;
  CURLSH *share;
  GMutex share_locks[CURL_LOCK_DATA_LAST];

  /* One batch at a time: @busy under @lock, waiters on @cond. */
  GMutex lock;
  GCond cond;
  gboolean busy;
};

G_DEFINE_FINAL_TYPE (VigieHttp, vigie_http, G_TYPE_OBJECT)

/* Global setup */

/**
 * vigie_http_global_init:
 *
 * Initializes libcurl once for the process. Call it from main() before any
 * thread starts; later calls do nothing.
 */
void
vigie_http_global_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      CURLcode code = curl_global_init (CURL_GLOBAL_DEFAULT);

      if (code != CURLE_OK)
        g_warning ("curl_global_init failed: %s", curl_easy_strerror (code));
      g_once_init_leave (&initialized, 1);
    }
}

static void
share_lock (CURL             *handle,
            curl_lock_data    data,
            curl_lock_access  access,
            void             *user_data)
{
  VigieHttp *self = user_data;

  if ((guint) data < G_N_ELEMENTS (self->share_locks))
    g_mutex_lock (&self->share_locks[data]);
}

static void
share_unlock (CURL           *handle,
              curl_lock_data  data,
              void           *user_data)
{
  VigieHttp *self = user_data;

  if ((guint) data < G_N_ELEMENTS (self->share_locks))
    g_mutex_unlock (&self->share_locks[data]);
}

static void
vigie_http_finalize (GObject *object)
{
  VigieHttp *self = VIGIE_HTTP (object);

  /* The multi before the share: curl refuses to clean up a share that a
   * handle still uses. Idle connections in the share are closed here. */
  g_clear_pointer (&self->multi, curl_multi_cleanup);
  g_clear_pointer (&self->share, curl_share_cleanup);
  for (guint i = 0; i < G_N_ELEMENTS (self->share_locks); i++)
    g_mutex_clear (&self->share_locks[i]);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);

  g_clear_pointer (&self->settings.user_agent, g_free);
  g_clear_pointer (&self->settings.ca_file, g_free);
  g_clear_pointer (&self->settings.resolve, curl_slist_free_all);

  G_OBJECT_CLASS (vigie_http_parent_class)->finalize (object);
}

static void
vigie_http_class_init (VigieHttpClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vigie_http_finalize;
}

static void
vigie_http_init (VigieHttp *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->share_locks); i++)
    g_mutex_init (&self->share_locks[i]);
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
}

/**
 * vigie_http_new:
 * @options: (nullable): settings; %NULL or zeroed fields give the defaults
 *
 * Creates an HTTP engine. The options are copied.
 *
 * Returns: (transfer full): a new #VigieHttp
 */
VigieHttp *
vigie_http_new (const VigieHttpOptions *options)
{
  static const VigieHttpOptions defaults = { 0 };
  VigieHttpSettings *settings;
  VigieHttp *self;

  if (options == NULL)
    options = &defaults;

  /* Harmless if main() already did it; curl_global_init is thread-safe in
   * the libcurl we require (7.84+ built "threadsafe"). */
  vigie_http_global_init ();

  self = g_object_new (VIGIE_TYPE_HTTP, NULL);

  settings = &self->settings;
  settings->user_agent = g_strdup (options->user_agent ? options->user_agent : DEFAULT_USER_AGENT);
  settings->timeout_s = options->timeout_s ? options->timeout_s : DEFAULT_TIMEOUT_S;
  settings->connect_timeout_s = options->connect_timeout_s ? options->connect_timeout_s : settings->timeout_s;
  settings->connect_timeout_s = MIN (settings->connect_timeout_s, settings->timeout_s);
  settings->max_redirects = options->max_redirects ? options->max_redirects : DEFAULT_MAX_REDIRECTS;
  self->max_total = options->max_total_connections ? options->max_total_connections : DEFAULT_MAX_TOTAL;
  self->max_per_host = options->max_per_host ? options->max_per_host : DEFAULT_MAX_PER_HOST;
  self->max_per_host = MIN (self->max_per_host, self->max_total);
  settings->ca_file = g_strdup (options->ca_file);
  for (guint i = 0; options->resolve != NULL && options->resolve[i] != NULL; i++)
    settings->resolve = curl_slist_append (settings->resolve, options->resolve[i]);

  self->share = curl_share_init ();
  if (self->share != NULL)
    {
      curl_share_setopt (self->share, CURLSHOPT_LOCKFUNC, share_lock);
      curl_share_setopt (self->share, CURLSHOPT_UNLOCKFUNC, share_unlock);
      curl_share_setopt (self->share, CURLSHOPT_USERDATA, self);
      curl_share_setopt (self->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
      curl_share_setopt (self->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
      curl_share_setopt (self->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
    }

  self->multi = curl_multi_init ();
  if (self->multi != NULL)
    {
      curl_multi_setopt (self->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long) self->max_total);
      curl_multi_setopt (self->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long) self->max_per_host);
      /* Keep enough idle connections for the next round: by default curl
       * sizes the cache from the handles currently added, which shrinks to
       * almost nothing as a batch drains. */
      curl_multi_setopt (self->multi, CURLMOPT_MAXCONNECTS, (long) MAX (self->max_total * 2, 64));
      curl_multi_setopt (self->multi, CURLMOPT_PIPELINING, (long) CURLPIPE_MULTIPLEX);
    }

  return self;
}

/* Batch serialization */

/* Runs in whichever thread cancels: wake a batch waiting for its turn or
 * sleeping in curl_multi_poll (). curl_multi_wakeup is the one multi call that
 * is safe from another thread. */
static void
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  VigieHttp *self = user_data;

  g_mutex_lock (&self->lock);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);

  if (self->multi != NULL)
    curl_multi_wakeup (self->multi);
}

static gboolean
acquire_batch (VigieHttp    *self,
               GCancellable *cancellable)
{
  gboolean acquired = FALSE;

  g_mutex_lock (&self->lock);
  while (self->busy && !g_cancellable_is_cancelled (cancellable))
    g_cond_wait (&self->cond, &self->lock);
  if (!self->busy)
    {
      self->busy = TRUE;
      acquired = TRUE;
    }
  g_mutex_unlock (&self->lock);

  return acquired;
}

static void
release_batch (VigieHttp *self)
{
  g_mutex_lock (&self->lock);
  self->busy = FALSE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}
/* The batch */

typedef struct
{
  VigieHttp *self;
  VigieHttpTransfer *transfers;
  guint n_transfers;
  GQueue pending;          /* VigieHttpTransfer*, waiting for a slot */
  GHashTable *per_host;    /* host_key → in-flight count (GUINT_TO_POINTER) */
  guint active;
  guint remaining;
} Batch;

static void
batch_finish_transfer (Batch    *batch,
                       VigieHttpTransfer *t,
                       CURLcode  code)
{
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (batch->per_host, t->host_key));

  t->response = vigie_http_transfer_finish (t, code, &batch->self->settings);

  curl_multi_remove_handle (batch->self->multi, t->easy);
  t->in_multi = FALSE;
  g_clear_pointer (&t->easy, curl_easy_cleanup);
  g_clear_pointer (&t->body, g_byte_array_unref);

  if (count > 1)
    g_hash_table_insert (batch->per_host, t->host_key, GUINT_TO_POINTER (count - 1));
  else
    g_hash_table_remove (batch->per_host, t->host_key);
  batch->active--;
  batch->remaining--;
}

/* Hands curl only as many transfers as there are connection slots, so a
 * transfer's timeout starts when it can actually run. Residual bound: a
 * redirect to a host whose slots are all taken waits inside curl with its
 * clock running. */
static void
batch_admit (Batch *batch)
{
  VigieHttp *self = batch->self;
  GList *l = batch->pending.head;

  while (l != NULL && batch->active < self->max_total)
    {
      GList *next = l->next;
      VigieHttpTransfer *t = l->data;
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (batch->per_host, t->host_key));

      if (count < self->max_per_host)
        {
          CURLMcode mc;

          g_queue_delete_link (&batch->pending, l);
          mc = curl_multi_add_handle (self->multi, t->easy);
          if (mc != CURLM_OK)
            {
              t->response = vigie_http_response_new_failed (VIGIE_LAYER_PROTOCOL, t->request->url,
                                                 curl_multi_strerror (mc));
              g_clear_pointer (&t->easy, curl_easy_cleanup);
              batch->remaining--;
            }
          else
            {
              g_hash_table_insert (batch->per_host, t->host_key, GUINT_TO_POINTER (count + 1));
              t->in_multi = TRUE;
              batch->active++;
            }
        }
      l = next;
    }
}

static GPtrArray *
vigie_http_run_batch (VigieHttp    *self,
                      GPtrArray    *requests,
                      GCancellable *cancellable,
                      GError      **error)
{
  Batch batch = { 0 };
  GPtrArray *responses = NULL;
  gulong cancelled_id = 0;
  gboolean failed = FALSE;

  if (self->multi == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("Could not initialize the HTTP engine"));
      return NULL;
    }

  if (cancellable != NULL)
    cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), self, NULL);

  batch.self = self;
  batch.n_transfers = requests->len;
  batch.transfers = g_new0 (VigieHttpTransfer, MAX (requests->len, 1));
  batch.per_host = g_hash_table_new (g_str_hash, g_str_equal);
  g_queue_init (&batch.pending);

  if (acquire_batch (self, cancellable))
    {
      for (guint i = 0; i < batch.n_transfers; i++)
        {
          VigieHttpTransfer *t = &batch.transfers[i];

          t->request = g_ptr_array_index (requests, i);
          if (vigie_http_transfer_setup (t, &self->settings, self->share))
            {
              g_queue_push_tail (&batch.pending, t);
              batch.remaining++;
            }
        }

      while (batch.remaining > 0 && !g_cancellable_is_cancelled (cancellable))
        {
          CURLMsg *msg;
          CURLMcode mc;
          gboolean progressed = FALSE;
          int running = 0;
          int left = 0;

          batch_admit (&batch);
          mc = curl_multi_perform (self->multi, &running);
          if (mc != CURLM_OK)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("HTTP engine failure: %s"), curl_multi_strerror (mc));
              failed = TRUE;
              break;
            }

          while ((msg = curl_multi_info_read (self->multi, &left)) != NULL)
            {
              char *priv = NULL;

              if (msg->msg != CURLMSG_DONE)
                continue;
              curl_easy_getinfo (msg->easy_handle, CURLINFO_PRIVATE, &priv);
              batch_finish_transfer (&batch, (VigieHttpTransfer *) priv, msg->data.result);
              progressed = TRUE;
            }

          /* Slots were freed: admit the next transfers before sleeping. */
          if (progressed || batch.remaining == 0)
            continue;

          mc = curl_multi_poll (self->multi, NULL, 0, POLL_MS, NULL);
          if (mc != CURLM_OK)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("HTTP engine failure: %s"), curl_multi_strerror (mc));
              failed = TRUE;
              break;
            }
        }

      /* Cancelled (or failed): whatever has not finished is dropped. The
       * easy handles go before the next batch may start, since they still
       * refer to the share. */
      for (guint i = 0; i < batch.n_transfers; i++)
        {
          VigieHttpTransfer *t = &batch.transfers[i];

          if (t->in_multi)
            curl_multi_remove_handle (self->multi, t->easy);
          t->in_multi = FALSE;
          g_clear_pointer (&t->easy, curl_easy_cleanup);
        }

      release_batch (self);
    }

  if (cancelled_id != 0)
    g_cancellable_disconnect (cancellable, cancelled_id);

  if (!failed)
    {
      responses = g_ptr_array_new_full (batch.n_transfers, (GDestroyNotify) vigie_http_response_free);
      for (guint i = 0; i < batch.n_transfers; i++)
        {
          VigieHttpTransfer *t = &batch.transfers[i];
          const VigieHttpRequest *request = g_ptr_array_index (requests, i);

          if (t->response == NULL)
            t->response = vigie_http_response_new_failed (VIGIE_LAYER_CANCELLED, request->url, "Cancelled");
          g_ptr_array_add (responses, g_steal_pointer (&t->response));
        }
    }

  for (guint i = 0; i < batch.n_transfers; i++)
    vigie_http_transfer_clear (&batch.transfers[i]);
  g_free (batch.transfers);
  g_queue_clear (&batch.pending);
  g_hash_table_unref (batch.per_host);

  return responses;
}

static void
run_in_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  VigieHttp *self = source_object;
  GPtrArray *requests = task_data;
  GError *error = NULL;
  GPtrArray *responses;

  responses = vigie_http_run_batch (self, requests, cancellable, &error);
  if (responses != NULL)
    g_task_return_pointer (task, responses, (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

/**
 * vigie_http_run_async:
 * @self: a #VigieHttp
 * @requests: (element-type VigieHttpRequest): the requests; deep-copied, the
 *   caller keeps ownership
 * @cancellable: (nullable): cancels the whole batch
 * @callback: (scope async): called on the thread-default main context of
 *   the caller
 * @user_data: data for @callback
 *
 * Runs all @requests in parallel on a worker thread. If another batch is
 * running on @self, this one starts when it ends. Cancelling makes the batch
 * end promptly: unfinished requests get %VIGIE_LAYER_CANCELLED.
 */
void
vigie_http_run_async (VigieHttp           *self,
                      GPtrArray           *requests,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GPtrArray *copies;

  g_return_if_fail (VIGIE_IS_HTTP (self));
  g_return_if_fail (requests != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  copies = g_ptr_array_new_full (requests->len, (GDestroyNotify) vigie_http_request_free);
  for (guint i = 0; i < requests->len; i++)
    g_ptr_array_add (copies, vigie_http_request_copy (g_ptr_array_index (requests, i)));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vigie_http_run_async);
  g_task_set_name (task, "[vigie] http batch");
  /* Cancellation is reported per request (CANCELLED layers), not as an
   * error, so that finished requests in a cancelled batch still count. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, copies, (GDestroyNotify) g_ptr_array_unref);
  g_task_run_in_thread (task, run_in_thread);
}

/**
 * vigie_http_run_finish:
 * @self: a #VigieHttp
 * @result: the #GAsyncResult given to the callback
 * @error: return location for an error
 *
 * Fails only if the engine itself could not run (curl failed to
 * initialize); network failures are reported in each response.
 *
 * Returns: (transfer full) (element-type VigieHttpResponse): one
 *   response per request, in request order, or %NULL with @error set
 */
GPtrArray *
vigie_http_run_finish (VigieHttp     *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (VIGIE_IS_HTTP (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == vigie_http_run_async, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * vigie_http_run_sync:
 * @self: a #VigieHttp
 * @requests: (element-type VigieHttpRequest): the requests
 * @cancellable: (nullable): cancels the whole batch (from another thread)
 * @error: return location for an error
 *
 * Like vigie_http_run_async() but blocks the calling thread; for the CLI
 * and tests.
 *
 * Returns: (transfer full) (element-type VigieHttpResponse): one
 *   response per request, in request order, or %NULL with @error set
 */
GPtrArray *
vigie_http_run_sync (VigieHttp     *self,
                     GPtrArray     *requests,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_return_val_if_fail (VIGIE_IS_HTTP (self), NULL);
  g_return_val_if_fail (requests != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return vigie_http_run_batch (self, requests, cancellable, error);
}
