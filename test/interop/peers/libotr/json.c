/* See json.h. Strict enough for the driver protocol; rejects anything else. */
#include "json.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *skip(const char *p) { while (*p && isspace((unsigned char)*p)) p++; return p; }

static void put_utf8(Buf *b, unsigned cp) {
    char tmp[5] = {0};
    if (cp < 0x80) tmp[0] = (char)cp;
    else if (cp < 0x800) { tmp[0] = (char)(0xC0 | (cp >> 6)); tmp[1] = (char)(0x80 | (cp & 0x3F)); }
    else if (cp < 0x10000) { tmp[0] = (char)(0xE0 | (cp >> 12)); tmp[1] = (char)(0x80 | ((cp >> 6) & 0x3F)); tmp[2] = (char)(0x80 | (cp & 0x3F)); }
    else { tmp[0] = (char)(0xF0 | (cp >> 18)); tmp[1] = (char)(0x80 | ((cp >> 12) & 0x3F)); tmp[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); tmp[3] = (char)(0x80 | (cp & 0x3F)); }
    buf_add(b, tmp);
}

static int hex4(const char *p, unsigned *out) {
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
        else return -1;
    }
    *out = v;
    return 0;
}

/* Parses a string literal at p (which points at '"'); returns the end or NULL. */
static const char *parse_string(const char *p, char **out) {
    Buf b = {0};
    buf_add(&b, "");
    p++;
    while (*p && *p != '"') {
        if ((unsigned char)*p < 0x20) { buf_free(&b); return NULL; }
        if (*p == '\\') {
            p++;
            char c = *p++;
            switch (c) {
                case '"': buf_add(&b, "\""); break;
                case '\\': buf_add(&b, "\\"); break;
                case '/': buf_add(&b, "/"); break;
                case 'b': buf_add(&b, "\b"); break;
                case 'f': buf_add(&b, "\f"); break;
                case 'n': buf_add(&b, "\n"); break;
                case 'r': buf_add(&b, "\r"); break;
                case 't': buf_add(&b, "\t"); break;
                case 'u': {
                    unsigned cp;
                    if (hex4(p, &cp)) { buf_free(&b); return NULL; }
                    p += 4;
                    if (cp >= 0xD800 && cp <= 0xDBFF && p[0] == '\\' && p[1] == 'u') {
                        unsigned lo;
                        if (hex4(p + 2, &lo) == 0 && lo >= 0xDC00 && lo <= 0xDFFF) {
                            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                            p += 6;
                        }
                    }
                    put_utf8(&b, cp);
                    break;
                }
                default: buf_free(&b); return NULL;
            }
        } else {
            char tmp[2] = {*p++, 0};
            buf_add(&b, tmp);
        }
    }
    if (*p != '"') { buf_free(&b); return NULL; }
    *out = b.data;
    return p + 1;
}

int json_parse(const char *text, JsonObject *out) {
    memset(out, 0, sizeof *out);
    const char *p = skip(text);
    if (*p++ != '{') return -1;
    p = skip(p);
    if (*p == '}') return *skip(p + 1) ? -1 : 0;
    for (;;) {
        if (out->count >= JSON_MAX_FIELDS || *p != '"') goto fail;
        JsonField *f = &out->fields[out->count];
        p = parse_string(p, &f->key);
        if (!p) goto fail;
        out->count++;
        p = skip(p);
        if (*p++ != ':') goto fail;
        p = skip(p);
        if (*p == '"') {
            f->type = 's';
            p = parse_string(p, &f->string);
            if (!p) goto fail;
        } else if (strncmp(p, "null", 4) == 0) { f->type = 'z'; p += 4; }
        else if (strncmp(p, "true", 4) == 0) { f->type = 'b'; f->number = 1; p += 4; }
        else if (strncmp(p, "false", 5) == 0) { f->type = 'b'; f->number = 0; p += 5; }
        else {
            char *end;
            f->number = strtod(p, &end);
            if (end == p) goto fail;
            f->type = 'n';
            p = end;
        }
        p = skip(p);
        if (*p == ',') { p = skip(p + 1); continue; }
        if (*p == '}') { p = skip(p + 1); if (*p) goto fail; return 0; }
        goto fail;
    }
fail:
    json_free(out);
    return -1;
}

void json_free(JsonObject *obj) {
    for (int i = 0; i < obj->count; i++) { free(obj->fields[i].key); free(obj->fields[i].string); }
    memset(obj, 0, sizeof *obj);
}

const char *json_string(const JsonObject *obj, const char *key) {
    for (int i = 0; i < obj->count; i++)
        if (strcmp(obj->fields[i].key, key) == 0 && obj->fields[i].type == 's') return obj->fields[i].string;
    return NULL;
}

int json_number(const JsonObject *obj, const char *key, double *out) {
    for (int i = 0; i < obj->count; i++)
        if (strcmp(obj->fields[i].key, key) == 0 && obj->fields[i].type == 'n') { *out = obj->fields[i].number; return 0; }
    return -1;
}

void buf_add(Buf *b, const char *s) {
    size_t n = strlen(s);
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->data = realloc(b->data, b->cap);
        if (!b->data) { perror("realloc"); exit(1); }
    }
    memcpy(b->data + b->len, s, n + 1);
    b->len += n;
}

void buf_add_json_string(Buf *b, const char *s) {
    buf_add(b, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        char tmp[8];
        if (*p == '"') buf_add(b, "\\\"");
        else if (*p == '\\') buf_add(b, "\\\\");
        else if (*p == '\n') buf_add(b, "\\n");
        else if (*p == '\r') buf_add(b, "\\r");
        else if (*p == '\t') buf_add(b, "\\t");
        else if (*p < 0x20) { snprintf(tmp, sizeof tmp, "\\u%04x", *p); buf_add(b, tmp); }
        else { tmp[0] = (char)*p; tmp[1] = 0; buf_add(b, tmp); }
    }
    buf_add(b, "\"");
}

void buf_free(Buf *b) { free(b->data); b->data = NULL; b->len = b->cap = 0; }
