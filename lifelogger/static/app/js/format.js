// Dates, times and durations in the browser's own time zone and language.

export const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

const pad = (n) => String(n).padStart(2, "0");

/** "1:05" for 65 minutes (rounded to the minute). */
export function formatMinutes(minutes) {
  const total = Math.round(minutes);
  return `${Math.floor(total / 60)}:${pad(total % 60)}`;
}

/** "1:05:09" for an elapsed number of seconds. */
export function formatElapsed(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 3600)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: "long", day: "numeric", month: "long", year: "numeric" });
const shortDayFormat = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric" });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export const formatTime = (date) => timeFormat.format(date);
export const formatDay = (date) => dayFormat.format(date);
export const formatShortDay = (date) => shortDayFormat.format(date);
export const formatDateTime = (date) => dateTimeFormat.format(date);

/** The API's form of an instant: UTC, whole seconds, "Z". */
export function toApiInstant(date) {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Local midnight starting the given calendar day (DST-safe: built from parts). */
export function startOfDay(date) {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate());
}

export function addDays(date, days) {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() + days);
}

/** "2026-03-24" for a local date (the value of <input type=date>). */
export function dateInputValue(date) {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The local midnight of an <input type=date> value, or null. */
export function parseDateInput(value) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value || "");
  return match ? new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : null;
}

/** "2026-03-24T09:05:00" for <input type=datetime-local step=1>, local time. */
export function dateTimeInputValue(date) {
  return `${dateInputValue(date)}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** The instant of an <input type=datetime-local> value in local time, or null. */
export function parseDateTimeInput(value) {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(value || "");
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match.map(Number);
  return new Date(y, mo - 1, d, h, mi, Number.isNaN(s) ? 0 : s);
}
