/* bench-cpu.c — N rounds of Vigie's engine, to be counted by callgrind.
 *
 * What it measures: the instructions Vigie's whole round costs in user
 * space — vigie_probe_run_sync(): the connectivity baseline, every
 * service's front door (headers only), every official feed (conditional,
 * so 304 once it is known, then the cached body parsed again), the curl
 * multi worker thread, classification and the observations — per service
 * and per request. bench/bench-cpu.sh runs it under
 * `valgrind --tool=callgrind` with N and 2N rounds; the difference is the
 * cost of N rounds with start-up, the first round (full feed downloads) and
 * exit removed.
 *
 * Why the comparison with the curl command line is fair: --print-urls and
 * --print-resolve give the script the very requests one round makes and the
 * host pins used here, so curl fetches the same URLs from the same server,
 * in parallel, with the same host names pinned to 127.0.0.1, sending the
 * feeds' ETag so they answer 304 as they do to Vigie. Both are counted by
 * the same tool, which counts instructions, not time: the figures repeat on
 * a noisy shared machine. Kernel work (sockets) is counted for neither.
 * The server (bench-server) runs in its own process, outside valgrind.
 *
 * Usage: bench-cpu --port PORT [--services S] [--feed-every K] [--rounds N]
 *        bench-cpu --port PORT [--services S] [--feed-every K] --print-urls
 *        bench-cpu --port PORT [--services S] --print-resolve
 * Services svc0…svcS-1 each have their own host name, svcI.vigie.test; one
 * in K has a Statuspage feed on its host (K = 0: none).
 */
#include "config.h"

#include <locale.h>

#include "vigie-probe.h"

typedef struct
{
  int port;
  int n_services;
  int feed_every;
  int rounds;
  gboolean print_urls;
  gboolean print_resolve;
} Options;

static GPtrArray *
make_services (const Options *options,
               GError       **error)
{
  g_autoptr(GPtrArray) services =
    g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_service_unref);
  g_autoptr(GKeyFile) key_file = g_key_file_new ();

  for (int i = 0; i < options->n_services; i++)
    {
      g_autofree char *group = g_strdup_printf ("Service svc%d", i);
      g_autofree char *site = g_strdup_printf ("http://svc%d.vigie.test:%d/ok", i, options->port);
      VigieService *service;

      g_key_file_set_string (key_file, group, "Name", group + strlen ("Service "));
      g_key_file_set_string (key_file, group, "Provider", group + strlen ("Service "));
      g_key_file_set_string (key_file, group, "Site", site);
      if (options->feed_every > 0 && i % options->feed_every == 0)
        {
          g_autofree char *feed = g_strdup_printf ("statuspage:http://svc%d.vigie.test:%d"
                                                   "/summary.json", i, options->port);
          g_key_file_set_string (key_file, group, "Feed", feed);
        }
      service = vigie_service_new_from_key_file (key_file, group, VIGIE_SERVICE_CUSTOM, error);
      if (service == NULL)
        return NULL;
      g_ptr_array_add (services, service);
    }
  return g_steal_pointer (&services);
}

static GStrv
make_resolve (const Options *options)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *baseline = g_strdup_printf ("baseline.vigie.test:%d:127.0.0.1", options->port);

  g_strv_builder_add (builder, baseline);
  for (int i = 0; i < options->n_services; i++)
    {
      g_autofree char *entry = g_strdup_printf ("svc%d.vigie.test:%d:127.0.0.1", i, options->port);
      g_strv_builder_add (builder, entry);
    }
  return g_strv_builder_end (builder);
}

/* The requests of one round, as the probe makes them: the baseline, the
 * front doors, then each distinct feed once. */
static void
print_urls (GPtrArray         *services,
            const char *const *baseline)
{
  for (guint i = 0; baseline[i] != NULL; i++)
    g_print ("%s\n", baseline[i]);
  for (guint i = 0; i < services->len; i++)
    g_print ("%s\n", ((VigieService *) g_ptr_array_index (services, i))->site);
  for (guint i = 0; i < services->len; i++)
    {
      VigieService *service = g_ptr_array_index (services, i);

      if (service->feed_url != NULL)
        g_print ("%s\n", service->feed_url);
    }
}

int
main (int   argc,
      char *argv[])
{
  Options options = { .n_services = 100, .feed_every = 2, .rounds = 3 };
  const GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_INT, &options.port, "bench-server's port", "PORT" },
    { "services", 0, 0, G_OPTION_ARG_INT, &options.n_services, "services (100)", "S" },
    { "feed-every", 0, 0, G_OPTION_ARG_INT, &options.feed_every,
      "one service in K has a feed (2; 0 for none)", "K" },
    { "rounds", 0, 0, G_OPTION_ARG_INT, &options.rounds, "rounds to run (3)", "N" },
    { "print-urls", 0, 0, G_OPTION_ARG_NONE, &options.print_urls,
      "print the URLs of one round and exit", NULL },
    { "print-resolve", 0, 0, G_OPTION_ARG_NONE, &options.print_resolve,
      "print the host pins (HOST:PORT:127.0.0.1) and exit", NULL },
    { NULL },
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— rounds of Vigie's engine");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) services = NULL;
  g_autoptr(VigieHttp) http = NULL;
  g_autoptr(VigieProbe) probe = NULL;
  g_auto(GStrv) resolve = NULL;
  g_autofree char *baseline_url = NULL;
  const char *baseline[2] = { NULL, NULL };
  VigieHttpOptions http_options = { 0 };
  guint failures = 0;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-cpu: %s\n", error->message);
      return 2;
    }
  if (options.port <= 0 || options.port > 65535 || options.n_services <= 0
      || options.feed_every < 0 || options.rounds <= 0)
    {
      g_printerr ("bench-cpu: --port is required; counts must be positive\n");
      return 2;
    }

  resolve = make_resolve (&options);
  if (options.print_resolve)
    {
      for (guint i = 0; resolve[i] != NULL; i++)
        g_print ("%s\n", resolve[i]);
      return 0;
    }
  baseline_url = g_strdup_printf ("http://baseline.vigie.test:%d/ok", options.port);
  baseline[0] = baseline_url;
  services = make_services (&options, &error);
  if (services == NULL)
    {
      g_printerr ("bench-cpu: %s\n", error->message);
      return 2;
    }
  if (options.print_urls)
    {
      print_urls (services, baseline);
      return 0;
    }

  /* As main.c does, before any thread exists. The long timeout only keeps
   * valgrind's slowness from turning into failures; it costs nothing. */
  vigie_http_global_init ();
  http_options.timeout_s = 120;
  http_options.resolve = resolve;
  http = vigie_http_new (&http_options);
  probe = vigie_probe_new (http);

  for (int r = 0; r < options.rounds; r++)
    {
      g_autoptr(VigieRound) round = vigie_probe_run_sync (probe, services, baseline, NULL, &error);

      if (round == NULL)
        {
          g_printerr ("bench-cpu: round %d: %s\n", r, error->message);
          return 1;
        }
      if (round->connectivity != VIGIE_CONNECTIVITY_ONLINE)
        failures++;
      for (guint i = 0; i < round->observations->len; i++)
        {
          VigieObservation *observation = g_ptr_array_index (round->observations, i);

          if (vigie_observation_verdict (observation) != VIGIE_STATE_OPERATIONAL)
            failures++;
        }
      if (r == 0)
        g_printerr ("bench-cpu: %u requests per round\n", round->n_requests);
    }

  if (failures > 0)
    {
      /* A failed request costs differently: the figures would not compare. */
      g_printerr ("bench-cpu: %u checks failed\n", failures);
      return 1;
    }
  return 0;
}
