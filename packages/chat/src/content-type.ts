/**
 * MIME content types: parsing a Content-Type value (type/subtype and
 * parameters, RFC 2045 section 5.1, leniently) and matching a type against
 * an accept-types list with `*` and `type/*` patterns (RFC 4975 section 8.6;
 * msrplib's `contains_mime_type`).
 */
import { MAX_CONTENT_TYPE_LENGTH } from './limits.js';

/** A parsed Content-Type. */
export interface ContentType {
  /** `type/subtype`, lower case (`text/plain` when the value was unreadable or absent). */
  readonly type: string;
  /** The charset parameter, lower case, when present. */
  readonly charset?: string;
}

/** The MIME default (RFC 2045 section 5.2), which Python's email parser also assumes. */
const DEFAULT_TYPE = 'text/plain';

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Parses a Content-Type value; never throws. Unreadable input gives `text/plain`. */
export function parseContentType(value: string | undefined): ContentType {
  if (value === undefined) return { type: DEFAULT_TYPE };
  const text = value.length > MAX_CONTENT_TYPE_LENGTH ? value.slice(0, MAX_CONTENT_TYPE_LENGTH) : value;
  const semicolon = text.indexOf(';');
  const full = (semicolon < 0 ? text : text.slice(0, semicolon)).trim().toLowerCase();
  const slash = full.indexOf('/');
  const valid = slash > 0 && TOKEN.test(full.slice(0, slash)) && TOKEN.test(full.slice(slash + 1));
  const type = valid ? full : DEFAULT_TYPE;
  const charset = semicolon < 0 ? undefined : charsetParameter(text.slice(semicolon + 1));
  return charset === undefined ? { type } : { type, charset };
}

/** The charset parameter of `; a=b; charset="utf-8"` (quoted or not), lower case. */
function charsetParameter(parameters: string): string | undefined {
  for (const part of parameters.split(';')) {
    const equals = part.indexOf('=');
    if (equals < 0) continue;
    if (part.slice(0, equals).trim().toLowerCase() !== 'charset') continue;
    let raw = part.slice(equals + 1).trim();
    if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')) raw = raw.slice(1, -1);
    const charset = raw.trim().toLowerCase();
    return TOKEN.test(charset) ? charset : undefined;
  }
  return undefined;
}

/**
 * Whether `type` (parameters ignored) matches one of `patterns`: the type
 * itself, `major/*`, or `*`; case-insensitive.
 */
export function containsMimeType(patterns: readonly string[], type: string): boolean {
  const wanted = parseContentType(type).type;
  for (const raw of patterns) {
    const pattern = raw.trim().toLowerCase();
    if (pattern === '*' || pattern === wanted) return true;
    if (pattern.endsWith('/*') && wanted.startsWith(pattern.slice(0, -1))) return true;
  }
  return false;
}

/** Whether a type carries text (decoded as characters for display). */
export function isTextType(type: string): boolean {
  return type.startsWith('text/');
}
