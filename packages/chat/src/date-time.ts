/**
 * CPIM's DateTime (RFC 3862 section 4.4, an RFC 3339 date-time): written as
 * Python's `datetime.isoformat()` writes sipsimple's timestamps (microseconds
 * only when not zero, the offset as `+00:00`), read leniently.
 */
import { ChatUsageError } from './errors.js';

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

/** The latest time written (9999-12-31T23:59:59.999Z): Python's datetime stops at year 9999. */
const MAX_TIME_MS = 253402300799999;

/**
 * `now` (host clock, ms since the epoch, fractions of a millisecond kept to
 * the microsecond) as `YYYY-MM-DDTHH:MM:SS[.ffffff]+00:00` in UTC.
 */
export function formatDateTime(now: number): string {
  if (!Number.isFinite(now) || now < 0 || now > MAX_TIME_MS) throw new ChatUsageError('bad-argument', 'now must be a time in ms between 1970 and 9999');
  let micros = Math.round(now * 1000);
  const seconds = Math.floor(micros / 1_000_000);
  micros -= seconds * 1_000_000;
  const days = Math.floor(seconds / 86400);
  let rest = seconds - days * 86400;
  const hour = Math.floor(rest / 3600);
  rest -= hour * 3600;
  const minute = Math.floor(rest / 60);
  const second = rest - minute * 60;
  const { year, month, day } = civilFromDays(days);
  const fraction = micros === 0 ? '' : `.${pad(micros, 6)}`;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}${fraction}+00:00`;
}

/** Gregorian date of a day count since 1970-01-01 (Howard Hinnant's civil_from_days). */
function civilFromDays(daysSinceEpoch: number): { year: number; month: number; day: number } {
  const z = daysSinceEpoch + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Days since 1970-01-01 of a Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s*(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

/**
 * The time (ms since the epoch) of an RFC 3339 date-time; lenient: `t`/`z`
 * in lower case, a space for `T`, a comma for the decimal point, an offset
 * without colon, and no offset at all (read as UTC). Undefined when unreadable.
 */
export function parseDateTime(value: string): number | undefined {
  if (value.length > 64) return undefined;
  const match = DATE_TIME.exec(value.trim());
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 60) return undefined;
  const fraction = match[7] === undefined ? 0 : Number(`0.${match[7]}`) * 1000;
  let offsetMinutes = 0;
  if (match[9] !== undefined) {
    const offsetHours = Number(match[10]);
    const offsetMins = Number(match[11]);
    if (offsetHours > 23 || offsetMins > 59) return undefined;
    offsetMinutes = (match[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const seconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + Math.min(second, 59);
  return (seconds - offsetMinutes * 60) * 1000 + fraction;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
