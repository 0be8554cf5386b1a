/* fuzz-common.h — what the libFuzzer targets share: a GLib warning or
 * critical is a crash, a broken promise of the header under test is a
 * crash with a message saying which, and both may be waived for bugs
 * already reported (VIGIE_FUZZ_KNOWN="substring|substring").
 *
 * abort() rather than GLib's fatal-warnings mode, whose SIGTRAP libFuzzer
 * does not catch (no reproducer would be written). run-fuzzers.sh reads the
 * messages' shape: "TARGET: contract of HEADER broken: ...".
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void     fuzz_common_init     (const char *target,
                               const char *header);
gboolean fuzz_is_known        (const char *message);
void     fuzz_contract_broken (const char *format,
                               ...) G_GNUC_PRINTF (1, 2);

/**
 * CHECK:
 * @cond: what the header under test promises
 * @...: a printf-style message saying what broke
 *
 * Aborts with the message when @cond does not hold, unless the message
 * names a known issue.
 */
#define CHECK(cond, ...) \
  G_STMT_START { if (G_UNLIKELY (!(cond))) fuzz_contract_broken (__VA_ARGS__); } G_STMT_END

G_END_DECLS
