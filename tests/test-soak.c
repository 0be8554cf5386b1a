/* test-soak.c — thousands of rounds against loopback services that misbehave
 * at random, through the monitor with an outage log and the alerts policy.
 *
 * Seven services, each with its own provider, on one loopback server (plus a
 * raw TCP server that speaks garbage instead of HTTP):
 *   steady     always answers
 *   blip       fails one round now and then, and always recovers the next
 *   flaky      fails in runs of 1 to 12 rounds, in several ways (5xx,
 *              dropped or reset connection, garbage HTTP)
 *   slow       now and then answers later than the Timeout
 *   huge-feed  its feed now and then redirects to an endless body (sized or
 *              chunked), which must be capped
 *   bad-feed   its feed is malformed every other way: invalid or deeply
 *              nested JSON, wrong types, bad UTF-8, HTML, errors, garbage
 *              HTTP
 *   garbage    its site is a server that never speaks HTTP
 * and a few stretches where the user's own connection fails.
 *
 * Each round's transitions go through vigie_alerts_build(). Asserted:
 *  - no crash, and no leak (the sanitized build runs this under LSan);
 *  - resident memory stays within a bound after warm-up (plain build);
 *  - no DOWN transition nor DOWN alert for a single blip
 *    (FailuresBeforeDown=3);
 *  - every service's confirmed state, after every round, is what a model of
 *    the tracker's contract (counters over the rounds that passed the
 *    connectivity gate, fed with the round's own observations) says;
 *  - the faults were really seen (the observations match the script);
 *  - the outage log holds every transition that was emitted.
 *
 * Short form by default (2000 rounds, 10 ms apart: Interval=10 with
 * second-ms=1); VIGIE_SOAK_ROUNDS=N runs N rounds (tests/run-soak.sh runs the
 * long form under both builds). The random script follows the test seed:
 * rerun a failure with --seed as printed. */
#include "config.h"

#include <glib/gstdio.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "vigie-alerts.h"
#include "vigie-monitor.h"
#include "vigie-test-monitor.h"
#include "vigie-test-server.h"

#define DEFAULT_ROUNDS 2000
/* Warm-up (200 rounds at least) and enough samples of memory after it. */
#define MIN_ROUNDS 500
/* The settings under test: a single failing round must never be an outage. */
#define FAILURES_BEFORE_DOWN 3
#define SUCCESSES_BEFORE_UP 2
/* Longer than the Timeout setting (1 s): the request times out. */
#define STALL_MS 1500

typedef enum
{
  SVC_STEADY,
  SVC_BLIP,
  SVC_FLAKY,
  SVC_SLOW,
  SVC_HUGE_FEED,
  SVC_BAD_FEED,
  SVC_GARBAGE,
  N_SVC
} Svc;

static const char *const svc_ids[N_SVC] = {
  "steady", "blip", "flaky", "slow", "huge-feed", "bad-feed", "garbage",
};

/* How a scripted site fails this round. */
typedef enum
{
  FAIL_NONE,
  FAIL_503,
  FAIL_DROP,
  FAIL_RESET,
  FAIL_GARBAGE,
  FAIL_STALL,
  N_FAILS
} Fail;

/* The tracker's contract, replayed from the observations. */
typedef struct
{
  VigieState state;
  guint failures;
  guint successes;
  guint longest_run;        /* of failing counted rounds */
  guint n_failing;          /* counted rounds whose probe failed */
  guint n_down;             /* transitions into DOWN */
  guint n_recovered;        /* transitions from DOWN to OPERATIONAL */
  guint n_unscripted;       /* failing rounds the script did not ask for */
} Model;

/* ---- a server that never speaks HTTP ----------------------------------- */

typedef struct
{
  GSocket *listener;
  GThread *thread;
  GCancellable *cancellable;
  guint16 port;
  guint served;             /* atomic */
} GarbageServer;

/* The answers of /site: never a valid status line. */
static void
answer_site (GSocket *client,
             guint    n)
{
  static const char bad_status[] = "HTTP/1.1 abc def\r\nContent-Length: 0\r\n\r\n";
  guint8 noise[512];

  switch (n % 4)
    {
    case 0:
      /* Bytes that are no protocol at all. */
      for (guint i = 0; i < sizeof noise; i++)
        noise[i] = (guint8) g_random_int_range (0, 256);
      noise[0] = 0;
      g_socket_send (client, (const char *) noise, sizeof noise, NULL, NULL);
      break;
    case 1:
      g_socket_send (client, bad_status, strlen (bad_status), NULL, NULL);
      break;
    case 2:
      /* Not a word. */
      break;
    case 3:
    default:
      {
        /* A status line that never ends: 256 KiB with no line break. */
        g_autofree char *endless = g_strnfill (256 * 1024, 'x');
        g_socket_send (client, "HTTP/1.1 200 ", 13, NULL, NULL);
        g_socket_send (client, endless, 256 * 1024, NULL, NULL);
      }
      break;
    }
}

/* The answers of /feed: broken bodies behind plausible headers, or worse. */
static void
answer_feed (GSocket *client,
             guint    n)
{
  static const char *const answers[] = {
    /* Cut short. */
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n"
    "{\"status\":{\"indicator\":",
    /* A broken chunk size. */
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    "ZZ\r\n{}\r\n0\r\n\r\n",
    /* A negative length. */
    "HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n{}",
    /* Invalid UTF-8 in a body that ends with the connection. */
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"
    "{\"status\":{\"indicator\":\"\xff\xfe\xc0\x80\"},\"components\":[\"\xed\xa0\x80\"]}",
    /* Valid JSON, behind two contradicting lengths. */
    "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\n{}",
    /* Headers that never end. */
    NULL,
  };
  const char *answer = answers[n % G_N_ELEMENTS (answers)];

  if (answer != NULL)
    g_socket_send (client, answer, strlen (answer), NULL, NULL);
  else
    {
      g_socket_send (client, "HTTP/1.1 200 OK\r\n", 17, NULL, NULL);
      for (guint i = 0; i < 4000; i++)
        g_socket_send (client, "X-Filler: yes\r\n", 15, NULL, NULL);
    }
}

static gpointer
garbage_thread (gpointer data)
{
  GarbageServer *self = data;

  for (guint n = 0; !g_cancellable_is_cancelled (self->cancellable); n++)
    {
      g_autoptr(GSocket) client = g_socket_accept (self->listener, self->cancellable, NULL);
      char request[4096];
      gssize got;

      if (client == NULL)
        continue;
      /* Read the request first: closing on unread data would send a reset
       * rather than what we mean to send. */
      g_socket_set_timeout (client, 2);
      got = g_socket_receive (client, request, sizeof request - 1, NULL, NULL);
      request[MAX (got, 0)] = '\0';
      if (strstr (request, " /feed") != NULL)
        answer_feed (client, n);
      else
        answer_site (client, n);
      g_socket_shutdown (client, FALSE, TRUE, NULL);
      /* Let the client read before the close. */
      while (g_socket_receive (client, request, sizeof request, NULL, NULL) > 0)
        ;
      g_socket_close (client, NULL);
      g_atomic_int_inc (&self->served);
    }
  return NULL;
}

static GarbageServer *
garbage_server_new (void)
{
  GarbageServer *self = g_new0 (GarbageServer, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  self->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (self->listener, address, TRUE, &error));
  g_socket_set_listen_backlog (self->listener, 128);
  g_assert_true (g_socket_listen (self->listener, &error));
  bound = g_socket_get_local_address (self->listener, &error);
  g_assert_no_error (error);
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  self->cancellable = g_cancellable_new ();
  self->thread = g_thread_new ("garbage-server", garbage_thread, self);
  return self;
}

static void
garbage_server_free (GarbageServer *self)
{
  g_cancellable_cancel (self->cancellable);
  g_thread_join (self->thread);
  g_socket_close (self->listener, NULL);
  g_object_unref (self->listener);
  g_object_unref (self->cancellable);
  g_free (self);
}

static char *
garbage_server_get_url (GarbageServer *self,
                        const char    *path)
{
  return g_strdup_printf ("http://127.0.0.1:%u%s", self->port, path);
}

/* ---- the soak ---------------------------------------------------------- */

typedef struct
{
  VigieTestServer *server;
  VigieTestServer *baseline;
  GarbageServer *garbage;
  char *tmp;
  VigieCatalog *catalog;
  VigieConfig *config;
  VigieHistory *history;
  VigieMonitor *monitor;

  guint n_rounds;             /* to run */
  gboolean progress;          /* say how far it got, on stderr (long form) */
  guint warm_up;              /* rounds before the memory reference */
  GPtrArray *transitions;     /* this round's, as emitted */
  guint n_transitions;        /* all rounds' */
  guint n_alerts[VIGIE_ALERT_UNSTABLE + 1];

  /* The script: what each site does in the round to come. */
  Fail plan[N_SVC];
  guint flaky_left;           /* rounds left in the current phase */
  gboolean flaky_failing;
  gboolean offline_next;
  guint offline_left;
  guint n_offline;            /* rounds that did not pass the gate */
  guint n_blips;
  guint n_stalls;
  guint n_huge_feeds;
  guint n_bad_feeds;
  GBytes **bad_bodies;
  guint n_bad_bodies;

  Model model[N_SVC];

  GArray *rss_kib;            /* gsize: resident memory every 50 rounds after warm-up */
  gsize log_reference_bytes;  /* size of the log's files at the end of warm-up */
} Soak;

static gsize
resident_kib (void)
{
  g_autofree char *statm = NULL;

  g_assert_true (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL));
  return g_ascii_strtoull (strchr (statm, ' ') + 1, NULL, 10) * (sysconf (_SC_PAGESIZE) / 1024);
}

static gsize
log_bytes (Soak *s)
{
  static const char *const suffixes[] = { "", "-wal", "-shm" };
  gsize total = 0;

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (vigie_history_get_path (s->history), suffixes[i], NULL);
      GStatBuf st;

      if (g_stat (path, &st) == 0)
        total += st.st_size;
    }
  return total;
}

static void
set_empty_route (Soak       *s,
                 const char *path,
                 guint       status)
{
  /* Empty bodies: a headers-only probe can keep its connection. */
  vigie_test_server_set_route (s->server, path, status, "text/plain", NULL);
}

static void
set_redirect (Soak       *s,
              const char *path,
              const char *location)
{
  VigieTestRoute route = { .status = 302, .location = location };

  vigie_test_server_set_route_full (s->server, path, &route);
}

/* Scripts @path (a site) to fail this way in the next round. */
static void
apply_fail (Soak       *s,
            const char *path,
            Fail        fail)
{
  switch (fail)
    {
    case FAIL_NONE:
      set_empty_route (s, path, 200);
      break;
    case FAIL_503:
      set_empty_route (s, path, 503);
      break;
    case FAIL_DROP:
      set_redirect (s, path, "/drop");
      break;
    case FAIL_RESET:
      set_redirect (s, path, "/reset");
      break;
    case FAIL_GARBAGE:
      {
        g_autofree char *url = garbage_server_get_url (s->garbage, "/site");
        set_redirect (s, path, url);
      }
      break;
    case FAIL_STALL:
      {
        VigieTestRoute route = { .status = 200, .content_type = "text/plain",
                                 .delay_ms = STALL_MS };
        vigie_test_server_set_route_full (s->server, path, &route);
      }
      break;
    case N_FAILS:
    default:
      g_assert_not_reached ();
    }
}

static Fail
random_failure (void)
{
  return (Fail) g_test_rand_int_range (FAIL_503, FAIL_GARBAGE + 1);
}

static const char valid_feed[] = "{\"page\":{\"name\":\"Soak\"},\"status\":{\"indicator\":\"none\","
                                 "\"description\":\"All Systems Operational\"},"
                                 "\"components\":[],\"incidents\":[],"
                                 "\"scheduled_maintenances\":[]}";

/* A string literal's bytes, without the final NUL. */
#define LITERAL_BYTES(literal) g_bytes_new_static ((literal), sizeof (literal) - 1)

static GBytes *
nested (const char *open,
        const char *close,
        guint       depth)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append (text, open);
  g_string_append (text, "1");
  for (guint i = 0; i < depth; i++)
    g_string_append (text, close);
  return g_string_free_to_bytes (text);
}

/* Feed bodies that must never be taken for evidence. */
static void
make_bad_bodies (Soak *s)
{
  GPtrArray *bodies = g_ptr_array_new ();
  static const char with_nul[] = "{\"status\":{\"indicator\":\"no\0ne\"},\"components\":[]}";
  g_autoptr(GString) long_string = g_string_new ("{\"status\":{\"indicator\":\"none\","
                                                 "\"description\":\"");

  g_ptr_array_add (bodies, LITERAL_BYTES ("{\"status\":{\"indicator\":\"none\""));
  g_ptr_array_add (bodies, nested ("[", "]", 20000));
  g_ptr_array_add (bodies, nested ("{\"a\":", "}", 10000));
  g_ptr_array_add (bodies, nested ("{\"status\":", "}", 33));
  g_ptr_array_add (bodies, LITERAL_BYTES ("{\"status\":\"none\",\"components\":{\"x\":1},"
                                               "\"incidents\":42}"));
  g_ptr_array_add (bodies, LITERAL_BYTES ("\xef\xbb\xbf\xff\xfe{\"status\":{}}"));
  g_ptr_array_add (bodies, LITERAL_BYTES (with_nul));
  g_ptr_array_add (bodies, LITERAL_BYTES ("<html><body>Status</body></html>"));
  g_ptr_array_add (bodies, LITERAL_BYTES ("{\"status\":{\"indicator\":1e99999},"
                                               "\"components\":[null,null]}"));
  while (long_string->len < 512 * 1024)
    g_string_append (long_string, "Lorem ipsum \\u00e9\\ud83d\\ude00 ");
  g_string_append (long_string, "\"}}");
  g_ptr_array_add (bodies, g_bytes_new (long_string->str, long_string->len));

  s->n_bad_bodies = bodies->len;
  s->bad_bodies = (GBytes **) g_ptr_array_free (bodies, FALSE);
}

/* Rounds where each fault happens for sure, so that even a short run sees
 * them all; the rest is left to chance. */
enum
{
  FORCE_FLAKY = 10,   /* four failing rounds: an outage and its end */
  FORCE_BLIP = 30,
  FORCE_HUGE = 40,    /* and two rounds later, the chunked one */
  FORCE_OFFLINE = 50, /* two rounds */
  FORCE_STALL = 70,
};

static void
script_feeds (Soak  *s,
              guint  next)
{
  guint pick;

  /* huge-feed: a valid feed (conditional: 304 once known), or now and then
   * a body with no end. */
  if (next == FORCE_HUGE || next == FORCE_HUGE + 2 || g_test_rand_int_range (0, 30) == 0)
    {
      set_redirect (s, "/feed-huge", s->n_huge_feeds % 2 ? "/huge-chunked" : "/huge");
      s->n_huge_feeds++;
    }
  else
    {
      g_autoptr(GBytes) body = g_bytes_new_static (valid_feed, strlen (valid_feed));
      VigieTestRoute route = { .status = 200, .content_type = "application/json", .body = body,
                               .etag = "\"soak-1\"" };
      vigie_test_server_set_route_full (s->server, "/feed-huge", &route);
    }

  /* bad-feed: something else wrong almost every round. */
  pick = g_test_rand_int_range (0, s->n_bad_bodies + 5);
  if (pick < s->n_bad_bodies)
    {
      VigieTestRoute route = { .status = 200, .content_type = "application/json",
                               .body = s->bad_bodies[pick] };
      vigie_test_server_set_route_full (s->server, "/feed-bad", &route);
      s->n_bad_feeds++;
    }
  else if (pick == s->n_bad_bodies)
    {
      g_autofree char *url = garbage_server_get_url (s->garbage, "/feed");
      set_redirect (s, "/feed-bad", url);
      s->n_bad_feeds++;
    }
  else if (pick == s->n_bad_bodies + 1)
    {
      vigie_test_server_set_route (s->server, "/feed-bad", 500, "text/html", "<h1>oops</h1>");
      s->n_bad_feeds++;
    }
  else if (pick == s->n_bad_bodies + 2)
    {
      /* (The test server wants NULL, not an empty GBytes, for no body.) */
      vigie_test_server_set_route (s->server, "/feed-bad", 200, "application/json", NULL);
      s->n_bad_feeds++;
    }
  else
    vigie_test_server_set_route (s->server, "/feed-bad", 200, "application/json", valid_feed);
}

/* Decides what every scripted site does in the next round, and sets it up. */
static void
script_next_round (Soak  *s,
                   guint  next)
{
  Fail previous_blip = s->plan[SVC_BLIP];
  Fail previous_slow = s->plan[SVC_SLOW];

  /* blip: one failing round now and then, never two in a row. */
  if (previous_blip == FAIL_NONE
      && (next == FORCE_BLIP || g_test_rand_int_range (0, 25) == 0))
    s->plan[SVC_BLIP] = random_failure ();
  else
    s->plan[SVC_BLIP] = FAIL_NONE;

  /* flaky: alternating phases, failing ones of 1 to 12 rounds. */
  if (next == FORCE_FLAKY)
    {
      s->flaky_failing = TRUE;
      s->flaky_left = 4;
    }
  else if (s->flaky_left == 0)
    {
      s->flaky_failing = !s->flaky_failing;
      if (s->flaky_failing)
        {
          guint dice = g_test_rand_int_range (0, 10);
          s->flaky_left = dice < 5 ? 1 : dice < 7 ? 2 : dice < 9 ? g_test_rand_int_range (3, 6)
                                                               : g_test_rand_int_range (6, 13);
        }
      else
        s->flaky_left = g_test_rand_int_range (2, 31);
    }
  s->flaky_left--;
  s->plan[SVC_FLAKY] = s->flaky_failing ? random_failure () : FAIL_NONE;

  /* slow: a round past the Timeout now and then (each costs a second). */
  if (previous_slow == FAIL_NONE
      && (next == FORCE_STALL || g_test_rand_int_range (0, 400) == 0))
    s->plan[SVC_SLOW] = FAIL_STALL;
  else
    s->plan[SVC_SLOW] = FAIL_NONE;

  if (s->plan[SVC_BLIP] != previous_blip)
    apply_fail (s, "/blip", s->plan[SVC_BLIP]);
  apply_fail (s, "/flaky", s->plan[SVC_FLAKY]);
  if (s->plan[SVC_SLOW] != previous_slow)
    apply_fail (s, "/slow", s->plan[SVC_SLOW]);
  script_feeds (s, next);

  /* Now and then the user's own connection fails for a few rounds. */
  if (next == FORCE_OFFLINE)
    s->offline_left = 2;
  else if (s->offline_left == 0 && g_test_rand_int_range (0, 250) == 0)
    s->offline_left = g_test_rand_int_range (1, 4);
  s->offline_next = s->offline_left > 0;
  if (s->offline_left > 0)
    s->offline_left--;
  vigie_test_server_set_route (s->baseline, "/check", s->offline_next ? 503 : 200, "text/plain",
                               NULL);
}

static void
on_service_changed (VigieMonitor    *monitor,
                    VigieTransition *transition,
                    Soak            *s)
{
  g_ptr_array_add (s->transitions, vigie_transition_copy (transition));
}

static Svc
svc_of (const char *id)
{
  for (Svc i = 0; i < N_SVC; i++)
    if (g_str_equal (svc_ids[i], id))
      return i;
  g_assert_not_reached ();
}

/* One counted round of the tracker's contract (DESIGN.md §1, no official
 * word in play: no feed here ever reports an incident). */
static void
model_step (Model    *m,
            gboolean  failed)
{
  if (failed)
    {
      m->failures++;
      m->successes = 0;
      m->n_failing++;
      m->longest_run = MAX (m->longest_run, m->failures);
      if (m->failures >= FAILURES_BEFORE_DOWN)
        m->state = VIGIE_STATE_DOWN;
    }
  else
    {
      m->successes++;
      m->failures = 0;
      if (m->state == VIGIE_STATE_UNKNOWN
          || (m->state == VIGIE_STATE_DOWN && m->successes >= SUCCESSES_BEFORE_UP))
        m->state = VIGIE_STATE_OPERATIONAL;
    }
}

static void
check_round (Soak       *s,
             VigieRound *round)
{
  VigieTracker *tracker = vigie_monitor_get_tracker (s->monitor);
  gboolean counted = round->connectivity == VIGIE_CONNECTIVITY_ONLINE;
  g_autoptr(GPtrArray) alerts = NULL;
  VigieAlertContext context = {
    .config = s->config,
    .connectivity = round->connectivity,
    .now_us = g_get_real_time (),
    .minute_of_day = 12 * 60,
    .snoozed = FALSE,
  };

  g_assert_cmpuint (round->observations->len, ==, N_SVC);
  g_assert_cmpint (counted, !=, s->offline_next);
  if (!counted)
    {
      s->n_offline++;
      g_assert_cmpuint (s->transitions->len, ==, 0);
    }

  for (guint i = 0; i < round->observations->len; i++)
    {
      VigieObservation *o = g_ptr_array_index (round->observations, i);
      Svc svc = svc_of (o->service->id);
      gboolean failed = !vigie_observation_site_ok (o);
      const VigieServiceStatus *status;

      /* The script was played: a scripted failure is seen as one. The
       * other way round may not hold on a loaded machine (an answer later
       * than the Timeout): such failures are counted, told, and bounded at
       * the end. (On stderr: stdout is lost if an assertion fails later.) */
      if (counted)
        {
          gboolean scripted = svc == SVC_GARBAGE || s->plan[svc] != FAIL_NONE;

          if (scripted && !failed)
            g_printerr ("soak: round %u: %s answered although scripted to fail (%d)\n",
                        vigie_monitor_get_n_rounds (s->monitor), o->service->id, s->plan[svc]);
          g_assert_true (failed || !scripted);
          if (failed && !scripted)
            {
              s->model[svc].n_unscripted++;
              g_printerr ("soak: round %u: %s failed unscripted: %s, %s (%.0f ms)\n",
                          vigie_monitor_get_n_rounds (s->monitor), o->service->id,
                          vigie_layer_to_string (o->layer), o->message, o->latency_ms);
            }
        }
      if (counted && s->plan[svc] == FAIL_STALL)
        g_assert_cmpint (o->layer, ==, VIGIE_LAYER_TIMEOUT);
      /* No feed here ever carries an incident: unreadable is no evidence. */
      g_assert_cmpint (vigie_observation_official_level (o), <=, VIGIE_OFFICIAL_OPERATIONAL);

      if (counted)
        model_step (&s->model[svc], failed);
      status = vigie_tracker_lookup (tracker, o->service->id);
      g_assert_nonnull (status);
      if (status->state != s->model[svc].state)
        g_test_message ("%s: tracker says %s, model %s (failures %u, successes %u)",
                        o->service->id, vigie_state_to_string (status->state),
                        vigie_state_to_string (s->model[svc].state), s->model[svc].failures,
                        s->model[svc].successes);
      g_assert_cmpstr (vigie_state_to_string (status->state), ==,
                       vigie_state_to_string (s->model[svc].state));
      g_assert_cmpuint (status->failures, ==, s->model[svc].failures);
    }

  for (guint i = 0; i < s->transitions->len; i++)
    {
      VigieTransition *t = g_ptr_array_index (s->transitions, i);
      Model *m = &s->model[svc_of (t->service_id)];

      if (t->to == VIGIE_STATE_DOWN && t->from != VIGIE_STATE_DOWN)
        {
          /* Never for a single blip: three failing rounds in a row first. */
          g_assert_cmpstr (t->service_id, !=, svc_ids[SVC_BLIP]);
          g_assert_cmpuint (m->longest_run, >=, FAILURES_BEFORE_DOWN);
          if (t->kind == VIGIE_TRANSITION_STATE)
            g_assert_cmpuint (m->failures, >=, FAILURES_BEFORE_DOWN);
          m->n_down++;
        }
      if (t->from == VIGIE_STATE_DOWN && t->to == VIGIE_STATE_OPERATIONAL)
        m->n_recovered++;
    }

  alerts = vigie_alerts_build (&context, s->transitions);
  for (guint i = 0; i < alerts->len; i++)
    {
      VigieAlert *alert = g_ptr_array_index (alerts, i);

      g_assert_nonnull (alert->summary);
      g_assert_nonnull (alert->body);
      g_assert_true (g_utf8_validate (alert->summary, -1, NULL));
      g_assert_true (g_utf8_validate (alert->body, -1, NULL));
      s->n_alerts[alert->kind]++;
      if (alert->kind == VIGIE_ALERT_DOWN)
        g_assert_false (g_strv_contains ((const char *const *) alert->service_ids,
                                         svc_ids[SVC_BLIP]));
    }

  s->n_transitions += s->transitions->len;
  g_ptr_array_set_size (s->transitions, 0);
}

static void
on_round_finished (VigieMonitor *monitor,
                   gpointer      round,
                   Soak         *s)
{
  guint n = vigie_monitor_get_n_rounds (monitor);

  check_round (s, round);
  if (s->plan[SVC_BLIP] != FAIL_NONE && !s->offline_next)
    s->n_blips++;
  if (s->plan[SVC_SLOW] == FAIL_STALL)
    s->n_stalls++;

  /* The test server remembers every connection it saw; forget them so
   * that its own bookkeeping does not count as ours. */
  vigie_test_server_reset_counters (s->server);
  vigie_test_server_reset_counters (s->baseline);

  if (n == s->warm_up)
    s->log_reference_bytes = log_bytes (s);
  if (n >= s->warm_up && (n - s->warm_up) % 50 == 0)
    {
      gsize rss = resident_kib ();

      g_array_append_val (s->rss_kib, rss);
      if (n % 1000 == 0)
        g_test_message ("round %u: resident %zu KiB, log %zu bytes, %u transitions", n, rss,
                        log_bytes (s), s->n_transitions);
      /* (TAP comments are buffered; meson --verbose shows stderr as it comes.) */
      if (s->progress && n % 1000 == 0)
        g_printerr ("soak: round %u of %u, resident %zu KiB, %u transitions\n", n, s->n_rounds,
                    rss, s->n_transitions);
    }

  script_next_round (s, n + 1);
}

static void
write_settings (Soak       *s,
                const char *path)
{
  g_autoptr(GString) text = g_string_new ("[General]\nServices=");
  g_autofree char *baseline = vigie_test_server_get_url (s->baseline, "/check");
  g_autoptr(GError) error = NULL;
  const char *sites[N_SVC] = {
    "/steady", "/blip", "/flaky", "/slow", "/steady-b", "/steady-c", NULL,
  };
  const char *feeds[N_SVC] = { [SVC_HUGE_FEED] = "/feed-huge", [SVC_BAD_FEED] = "/feed-bad" };

  for (Svc i = 0; i < N_SVC; i++)
    g_string_append_printf (text, "%s;", svc_ids[i]);
  /* A round every 10 ms (Interval=10 with second-ms=1), retries every 5. */
  g_string_append_printf (text, "\nInterval=10\nRetryInterval=5\nTimeout=1\n"
                                "FailuresBeforeDown=%u\nSuccessesBeforeUp=%u\n"
                                "[Connectivity]\nURLs=%s\n",
                          FAILURES_BEFORE_DOWN, SUCCESSES_BEFORE_UP, baseline);
  for (Svc i = 0; i < N_SVC; i++)
    {
      g_autofree char *site = sites[i] ? vigie_test_server_get_url (s->server, sites[i])
                                       : garbage_server_get_url (s->garbage, "/site");
      g_string_append_printf (text, "[Service %s]\nName=Soak %s\nProvider=Provider %s\nSite=%s\n",
                              svc_ids[i], svc_ids[i], svc_ids[i], site);
      if (feeds[i] != NULL)
        {
          g_autofree char *feed = vigie_test_server_get_url (s->server, feeds[i]);
          g_string_append_printf (text, "Feed=statuspage:%s\n", feed);
        }
      if (sites[i] != NULL)
        set_empty_route (s, sites[i], 200);
    }
  g_file_set_contents (path, text->str, -1, &error);
  g_assert_no_error (error);
}

static void
test_soak (void)
{
  Soak soak = { 0 }, *s = &soak;
  g_autoptr(GError) error = NULL;
  g_autofree char *ini = NULL;
  g_autofree char *db = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  const char *env = g_getenv ("VIGIE_SOAK_ROUNDS");
  gint64 started = g_get_monotonic_time ();

  s->n_rounds = DEFAULT_ROUNDS;
  if (env != NULL && *env != '\0')
    {
      guint64 n = 0;
      /* VIGIE_SOAK_ROUNDS: a number of rounds, MIN_ROUNDS at least. */
      g_ascii_string_to_unsigned (env, 10, MIN_ROUNDS, G_MAXUINT32, &n, &error);
      g_assert_no_error (error);
      s->n_rounds = (guint) n;
      s->progress = TRUE;
    }
  s->warm_up = MAX (200, MIN (s->n_rounds / 5, 2000));
  g_test_message ("%u rounds, memory reference after %u", s->n_rounds, s->warm_up);

  s->tmp = vigie_test_make_tmp_dir ("vigie-soak-XXXXXX");
  s->server = vigie_test_server_new (FALSE, &error);
  g_assert_no_error (error);
  s->baseline = vigie_test_server_new (FALSE, &error);
  g_assert_no_error (error);
  vigie_test_server_set_route (s->baseline, "/check", 200, "text/plain", NULL);
  s->garbage = garbage_server_new ();
  make_bad_bodies (s);
  s->transitions = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_transition_free);
  s->rss_kib = g_array_new (FALSE, FALSE, sizeof (gsize));

  ini = g_build_filename (s->tmp, "vigie.ini", NULL);
  write_settings (s, ini);
  script_feeds (s, 1);
  s->catalog = vigie_test_catalog_new ();
  s->config = vigie_test_config_load (s->catalog, ini);
  db = g_build_filename (s->tmp, "history.db", NULL);
  s->history = vigie_test_history_open (db);

  s->monitor = vigie_monitor_new (s->config, s->history, NULL);
  g_object_set (s->monitor, "second-ms", 1, NULL);
  g_signal_connect (s->monitor, "service-changed", G_CALLBACK (on_service_changed), s);
  g_signal_connect (s->monitor, "round-finished", G_CALLBACK (on_round_finished), s);
  vigie_monitor_start (s->monitor);

  /* Generous: 10 ms a round plus a second per stall, many times over. */
  vigie_test_wait_for_rounds (s->monitor, s->n_rounds,
                              (guint) MIN ((120 + (guint64) s->n_rounds / 10) * 1000, G_MAXUINT));
  vigie_monitor_stop (s->monitor);

  g_test_message ("%u rounds in %.1f s: %u transitions; alerts: %u down, %u degraded, "
                  "%u recovered, %u unstable; %u blips, %u stalls, %u offline rounds, "
                  "%u huge feeds, %u bad feeds, %u garbage answers",
                  vigie_monitor_get_n_rounds (s->monitor),
                  (g_get_monotonic_time () - started) / 1e6, s->n_transitions,
                  s->n_alerts[VIGIE_ALERT_DOWN], s->n_alerts[VIGIE_ALERT_DEGRADED],
                  s->n_alerts[VIGIE_ALERT_RECOVERED], s->n_alerts[VIGIE_ALERT_UNSTABLE],
                  s->n_blips, s->n_stalls, s->n_offline, s->n_huge_feeds, s->n_bad_feeds,
                  g_atomic_int_get (&s->garbage->served));
  for (Svc i = 0; i < N_SVC; i++)
    g_test_message ("%-9s %5u failing rounds (%u unscripted), longest run %u, %u down, "
                    "%u back, now %s", svc_ids[i], s->model[i].n_failing,
                    s->model[i].n_unscripted, s->model[i].longest_run, s->model[i].n_down,
                    s->model[i].n_recovered, vigie_state_to_string (s->model[i].state));

  /* The script did what it says, so the above proves something. */
  g_assert_cmpuint (s->n_blips, >=, s->n_rounds / 60);
  g_assert_cmpuint (s->model[SVC_BLIP].longest_run, <, FAILURES_BEFORE_DOWN);
  g_assert_cmpuint (s->model[SVC_BLIP].n_down, ==, 0);
  g_assert_cmpuint (s->model[SVC_STEADY].n_down, ==, 0);
  g_assert_cmpuint (s->model[SVC_SLOW].n_down, ==, 0);
  g_assert_cmpuint (s->model[SVC_HUGE_FEED].n_down, ==, 0);
  g_assert_cmpuint (s->model[SVC_BAD_FEED].n_down, ==, 0);
  g_assert_cmpuint (s->model[SVC_FLAKY].n_down, >=, 1);
  g_assert_cmpuint (s->model[SVC_FLAKY].n_recovered, >=, 1);
  g_assert_cmpuint (s->model[SVC_GARBAGE].n_down, ==, 1);
  g_assert_cmpint (s->model[SVC_GARBAGE].state, ==, VIGIE_STATE_DOWN);
  g_assert_cmpuint (s->n_alerts[VIGIE_ALERT_DOWN], >=, 2);
  g_assert_cmpuint (s->n_offline, >=, 1);
  g_assert_cmpuint (s->n_huge_feeds, >=, 2);
  g_assert_cmpuint (s->n_bad_feeds, >=, s->n_rounds / 2);
  /* Answers that came too late are the machine's doing, if rare; more
   * would be a fault of the HTTP engine (a connection reused badly...). */
  for (Svc i = 0; i < N_SVC; i++)
    g_assert_cmpuint (s->model[i].n_unscripted, <=, s->n_rounds / 200);

  /* Every transition is in the log, and only those (the stop adds one per
   * known service). */
  stored = vigie_history_transitions (s->history, NULL, 0, G_MAXINT64, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->len, ==, s->n_transitions + N_SVC);
  g_assert_false (vigie_history_is_failing (s->history));

#ifndef __SANITIZE_ADDRESS__
  {
    /* Resident memory, sampled every 50 rounds after warm-up. Each feed may
     * bring a few MiB that live for a round, so the floor is compared (the
     * least of the first and of the last tenth of the samples): a leak
     * raises it. What may legitimately grow is SQLite's page cache (2 MiB
     * at most by default), no more than the log itself grew. The peaks are
     * bounded too, by a few capped feed bodies. */
    guint n = s->rss_kib->len, window = MAX (3, n / 10);
    gsize early = G_MAXSIZE, late = G_MAXSIZE, peak = 0;
    gsize log_growth_kib = (log_bytes (s) - MIN (log_bytes (s), s->log_reference_bytes)) / 1024;
    gsize allowed_kib = 512 + MIN (log_growth_kib, 2048);

    g_assert_cmpuint (n, >=, 2 * window);
    for (guint i = 0; i < n; i++)
      {
        gsize kib = g_array_index (s->rss_kib, gsize, i);
        if (i < window)
          early = MIN (early, kib);
        if (i >= n - window)
          late = MIN (late, kib);
        peak = MAX (peak, kib);
      }
    g_test_message ("resident after warm-up: %zu KiB at first, %zu KiB at the end (at most "
                    "%zu KiB more allowed), peak %zu KiB", early, late, allowed_kib, peak);
    g_assert_cmpuint (late, <=, early + allowed_kib);
    g_assert_cmpuint (peak, <=, early + 4 * VIGIE_FEED_MAX_SIZE / 1024);
  }
#endif

  g_clear_object (&s->monitor);
  g_clear_object (&s->history);
  g_clear_object (&s->config);
  g_clear_object (&s->catalog);
  g_clear_pointer (&s->server, vigie_test_server_free);
  g_clear_pointer (&s->baseline, vigie_test_server_free);
  g_clear_pointer (&s->garbage, garbage_server_free);
  g_clear_pointer (&s->transitions, g_ptr_array_unref);
  g_clear_pointer (&s->rss_kib, g_array_unref);
  for (guint i = 0; i < s->n_bad_bodies; i++)
    g_bytes_unref (s->bad_bodies[i]);
  g_free (s->bad_bodies);
  vigie_test_remove_tree (s->tmp);
  g_free (s->tmp);
}

int
main (int   argc,
      char *argv[])
{
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
  /* Feeds bring buffers of megabytes that live for a round. glibc would
   * raise its mmap threshold past them and keep them in its heaps once
   * freed; a fixed threshold maps and unmaps them, so resident memory
   * shows what is live, not what the allocator keeps for later. */
  mallopt (M_MMAP_THRESHOLD, 256 * 1024);
#endif
  vigie_http_global_init ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/soak/rounds", test_soak);

  return g_test_run ();
}
