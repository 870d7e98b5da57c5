/* A tiny JSON reader and writer for the driver protocol: flat objects of
 * strings, numbers, booleans and null (shared/interop/DRIVER.md). */
#ifndef PEER_JSON_H
#define PEER_JSON_H
#include <stddef.h>

#define JSON_MAX_FIELDS 16

typedef struct {
    char *key;
    char *string;   /* for strings (UTF-8, unescaped) */
    double number;  /* for numbers */
    int type;       /* 's' string, 'n' number, 'b' bool, 'z' null */
} JsonField;

typedef struct {
    JsonField fields[JSON_MAX_FIELDS];
    int count;
} JsonObject;

/* Parses one flat object; returns 0 on success. Free with json_free. */
int json_parse(const char *text, JsonObject *out);
void json_free(JsonObject *obj);
const char *json_string(const JsonObject *obj, const char *key);
int json_number(const JsonObject *obj, const char *key, double *out);

/* Appends a JSON string literal of `s` to a growable buffer. */
typedef struct { char *data; size_t len, cap; } Buf;
void buf_add(Buf *b, const char *s);
void buf_add_json_string(Buf *b, const char *s);
void buf_free(Buf *b);
#endif
