// The person's days: counted in their profile's time zone and cut at their
// day start (Account page, PATCH /me), whatever zone this browser is in. The
// same rules as the server's lifelogger/core/days.py, so a page's "today" is the
// API's: a day is named by the date on which it begins ("2026-03-24"), starts
// at the day-start time on that date and ends where the next one starts, so
// it lasts 23 or 25 hours when the clocks change. Weeks start on Monday.

import { timeZone, useTimeZone } from "./format.js";
import { wallClock, wallToInstant } from "./zones.js";

let startsAtMinutes = 0;

/** Minutes after midnight at which the person's days begin. */
export function dayStartMinutes() {
  return startsAtMinutes;
}

/** "04:00" */
export function dayStartText() {
  return `${String(Math.floor(startsAtMinutes / 60)).padStart(2, "0")}:${String(startsAtMinutes % 60).padStart(2, "0")}`;
}

/**
 * Take the zone and day start from the profile (GET /me). False when this
 * browser does not know the profile's zone (its own zone is used instead).
 */
export function useProfileDays(me) {
  const match = /^(\d\d):(\d\d)$/.exec(me.day_starts_at || "");
  startsAtMinutes = match ? Number(match[1]) * 60 + Number(match[2]) : 0;
  return useTimeZone(me.timezone);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function split(date) {
  const [, y, m, d] = DATE.exec(date).map(Number);
  return [y, m, d];
}

function fromUtcMs(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

/** A valid "YYYY-MM-DD" (e.g. from a URL or <input type=date>), else null. */
export function parseDate(value) {
  if (!DATE.test(value || "")) return null;
  const [y, m, d] = split(value);
  return fromUtcMs(Date.UTC(y, m - 1, d)) === value ? value : null;
}

export function addDays(date, count) {
  const [y, m, d] = split(date);
  return fromUtcMs(Date.UTC(y, m - 1, d + count));
}

/** 0 for Monday … 6 for Sunday. */
export function weekday(date) {
  const [y, m, d] = split(date);
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
}

export function mondayOf(date) {
  return addDays(date, -weekday(date));
}

/** The first day of the month `offset` months after the date's month. */
export function monthStart(date, offset = 0) {
  const [y, m] = split(date);
  return fromUtcMs(Date.UTC(y, m - 1 + offset, 1));
}

export function yearStart(date, offset = 0) {
  return fromUtcMs(Date.UTC(split(date)[0] + offset, 0, 1));
}

/** The instant (Date) at which the person's day `date` begins. */
export function dayStart(date) {
  const [year, month, day] = split(date);
  return wallToInstant({ year, month, day, hour: Math.floor(startsAtMinutes / 60), minute: startsAtMinutes % 60 }, timeZone);
}

/** The person's day an instant belongs to. */
export function dayOf(instant) {
  const p = wallClock(instant, timeZone);
  return fromUtcMs(Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - startsAtMinutes * 60000);
}

/** The calendar date an instant shows in the person's zone (ignores the day start). */
export function dateOf(instant) {
  const p = wallClock(instant, timeZone);
  return fromUtcMs(Date.UTC(p.year, p.month - 1, p.day));
}

export function today() {
  return dayOf(new Date());
}

const longDate = new Intl.DateTimeFormat(undefined, { timeZone: "UTC", weekday: "long", day: "numeric", month: "long", year: "numeric" });
const shortDate = new Intl.DateTimeFormat(undefined, { timeZone: "UTC", day: "numeric", month: "short", year: "numeric" });

function asUtcDate(date) {
  const [y, m, d] = split(date);
  return new Date(Date.UTC(y, m - 1, d));
}

/** "Tuesday 24 March 2026" for "2026-03-24". */
export const formatDate = (date) => longDate.format(asUtcDate(date));
/** "24 Mar 2026" for "2026-03-24". */
export const formatShortDate = (date) => shortDate.format(asUtcDate(date));
/** A date in any other form, e.g. {weekday: "short", day: "numeric"}. */
export const formatDateWith = (date, options) => asUtcDate(date).toLocaleDateString(undefined, { ...options, timeZone: "UTC" });
