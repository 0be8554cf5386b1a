/* vigie-json-writer.c — streaming, pretty-printed JSON output. */
#define G_LOG_DOMAIN "vigie-json"

#include "config.h"

#include <math.h>

#include "vigie-json-writer.h"

struct _VigieJsonWriter
{
  GString *out;
  guint depth;
  gboolean first;       /* no value yet in the current container */
  gboolean after_key;   /* the next value follows "key": on the same line */
};

VigieJsonWriter *
vigie_json_writer_new (void)
{
  VigieJsonWriter *self = g_new0 (VigieJsonWriter, 1);

  self->out = g_string_new (NULL);
  self->first = TRUE;
  return self;
}

void
vigie_json_writer_free (VigieJsonWriter *self)
{
  if (self == NULL)
    return;
  if (self->out != NULL)
    g_string_free (self->out, TRUE);
  g_free (self);
}

/**
 * vigie_json_writer_steal:
 * @self: a writer whose containers are all closed
 *
 * Returns: (transfer full): the document, ending with a newline; @self can
 *   then only be freed
 */
char *
vigie_json_writer_steal (VigieJsonWriter *self)
{
  g_string_append_c (self->out, '\n');
  return g_string_free (g_steal_pointer (&self->out), FALSE);
}

static void
newline (VigieJsonWriter *self)
{
  g_string_append_c (self->out, '\n');
  for (guint i = 0; i < self->depth; i++)
    g_string_append (self->out, "  ");
}

/* Comma and indentation before a value or a key. */
static void
begin_value (VigieJsonWriter *self)
{
  if (self->after_key)
    {
      self->after_key = FALSE;
      return;
    }
  if (!self->first)
    g_string_append_c (self->out, ',');
  if (self->depth > 0)
    newline (self);
  self->first = FALSE;
}

static void
append_escaped (GString    *out,
                const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);

  g_string_append_c (out, '"');
  for (const char *p = valid; *p; p++)
    {
      guchar c = (guchar) *p;
      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        default:
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

static void
open_container (VigieJsonWriter *self,
                char             bracket)
{
  begin_value (self);
  g_string_append_c (self->out, bracket);
  self->depth++;
  self->first = TRUE;
}

static void
close_container (VigieJsonWriter *self,
                 char             bracket)
{
  g_return_if_fail (self->depth > 0);
  self->depth--;
  if (!self->first)
    newline (self);
  g_string_append_c (self->out, bracket);
  self->first = FALSE;
}

void
vigie_json_writer_begin_object (VigieJsonWriter *self)
{
  open_container (self, '{');
}

void
vigie_json_writer_end_object (VigieJsonWriter *self)
{
  close_container (self, '}');
}

void
vigie_json_writer_begin_array (VigieJsonWriter *self)
{
  open_container (self, '[');
}

void
vigie_json_writer_end_array (VigieJsonWriter *self)
{
  close_container (self, ']');
}

void
vigie_json_writer_key (VigieJsonWriter *self,
                       const char      *key)
{
  begin_value (self);
  append_escaped (self->out, key);
  g_string_append (self->out, ": ");
  self->after_key = TRUE;
}

/**
 * vigie_json_writer_string:
 * @self: a writer
 * @value: (nullable): text, written as `null` when %NULL
 */
void
vigie_json_writer_string (VigieJsonWriter *self,
                          const char      *value)
{
  if (value == NULL)
    {
      vigie_json_writer_null (self);
      return;
    }
  begin_value (self);
  append_escaped (self->out, value);
}

void
vigie_json_writer_int (VigieJsonWriter *self,
                       gint64           value)
{
  begin_value (self);
  g_string_append_printf (self->out, "%" G_GINT64_FORMAT, value);
}

void
vigie_json_writer_double (VigieJsonWriter *self,
                          double           value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      vigie_json_writer_null (self);
      return;
    }
  begin_value (self);
  g_string_append (self->out, g_ascii_formatd (buffer, sizeof buffer, "%.1f", value));
}

void
vigie_json_writer_boolean (VigieJsonWriter *self,
                           gboolean         value)
{
  begin_value (self);
  g_string_append (self->out, value ? "true" : "false");
}

void
vigie_json_writer_null (VigieJsonWriter *self)
{
  begin_value (self);
  g_string_append (self->out, "null");
}

void
vigie_json_writer_member_string (VigieJsonWriter *self,
                                 const char      *key,
                                 const char      *value)
{
  vigie_json_writer_key (self, key);
  vigie_json_writer_string (self, value);
}
