/* vigie-json-writer.h — a small streaming JSON writer for Vigie's own output
 * (CLI, history export, hook events).
 *
 * json-glib belongs to vigie-feeds, which parses untrusted feeds; writing our
 * own well-formed output needs only correct string escaping and commas.
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
