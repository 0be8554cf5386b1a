/* vigie-json-writer.h — a small streaming JSON writer for Vigie's own output
 * (CLI, history export, hook events).
 *
 * Why not json-glib's JsonBuilder and JsonGenerator, which Vigie already
 * links for the feeds: as Debian 12 ships it (1.6), the generator writes
 * 0.7 as 0.69999999999999996, and leaves U+001F unescaped inside strings,
 * which is not JSON (RFC 8259 §7) and which strict readers such as
 * Python's refuse. Both were tried; tests/test-json-writer.c holds the
 * cases. What is left here is what the generator gets wrong: escaping every
 * control character, numbers people can read, and valid UTF-8 out of any
 * input.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _VigieJsonWriter VigieJsonWriter;

VigieJsonWriter *vigie_json_writer_new          (void);
void             vigie_json_writer_free         (VigieJsonWriter *self);
char            *vigie_json_writer_steal        (VigieJsonWriter *self);

void vigie_json_writer_begin_object (VigieJsonWriter *self);
void vigie_json_writer_end_object   (VigieJsonWriter *self);
void vigie_json_writer_begin_array  (VigieJsonWriter *self);
void vigie_json_writer_end_array    (VigieJsonWriter *self);
void vigie_json_writer_key          (VigieJsonWriter *self,
                                     const char      *key);
void vigie_json_writer_string       (VigieJsonWriter *self,
                                     const char      *value);
void vigie_json_writer_int          (VigieJsonWriter *self,
                                     gint64           value);
void vigie_json_writer_double       (VigieJsonWriter *self,
                                     double           value);
void vigie_json_writer_boolean      (VigieJsonWriter *self,
                                     gboolean         value);
void vigie_json_writer_null         (VigieJsonWriter *self);

void vigie_json_writer_member_string (VigieJsonWriter *self,
                                      const char      *key,
                                      const char      *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VigieJsonWriter, vigie_json_writer_free)

G_END_DECLS
