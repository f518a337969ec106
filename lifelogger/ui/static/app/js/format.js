// Dates, times and durations in the person's time zone (their profile's, once
// the page knows it: see useTimeZone) and the browser's language.

import { knowsZone, wallClock, wallToInstant } from "./zones.js";

/** The zone this browser (device) is set to. */
export const browserTimeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

/** The zone times are shown and read in: the profile's, else the browser's. */
export let timeZone = browserTimeZone;

const pad = (n) => String(n).padStart(2, "0");

// Times of day are written one way on every page: the 24-hour clock ("09:05",
// "23:40"), whatever the language's habit, so a time read on the tracker is
// the one typed on the timeline and seen in a message. (Dates follow the
// language.) Every time shown goes through these formats.
const CLOCK = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };

let formats = buildFormats(timeZone);

function buildFormats(zone) {
  return {
    time: new Intl.DateTimeFormat(undefined, { timeZone: zone, ...CLOCK }),
    shortDay: new Intl.DateTimeFormat(undefined, { timeZone: zone, day: "numeric", month: "short", year: "numeric" }),
    dateTime: new Intl.DateTimeFormat(undefined, { timeZone: zone, day: "numeric", month: "short", year: "numeric", ...CLOCK }),
  };
}

/**
 * Show and read times in `zone` from now on. False (nothing changes) when
 * this browser does not know the zone.
 */
export function useTimeZone(zone) {
  if (!zone || !knowsZone(zone)) return false;
  timeZone = zone;
  formats = buildFormats(zone);
  return true;
}

/** "1:05" for 65 minutes (rounded to the minute). */
export function formatMinutes(minutes) {
  const total = Math.round(minutes);
  return `${Math.floor(total / 60)}:${pad(total % 60)}`;
}

/**
 * A duration as a person reads it: "<1 min", "12 min" under an hour, "1:05 h"
 * from an hour up (rounded to the minute). The one way durations are written
 * in tables, rows, tooltips and names.
 */
export function formatDuration(minutes) {
  if (minutes > 0 && minutes < 0.5) return "<1 min";
  const total = Math.round(minutes);
  return total < 60 ? `${total} min` : `${formatMinutes(total)} h`;
}

/** "1:05:09" for an elapsed number of seconds. */
export function formatElapsed(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 3600)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
}

/** "09:05": an instant's time of day in the person's zone. */
export const formatTime = (date) => formats.time.format(date);
/** "24 Mar 2026": an instant's date in the person's zone. */
export const formatShortDay = (date) => formats.shortDay.format(date);
/** "24 Mar 2026, 09:05" in the person's zone. */
export const formatDateTime = (date) => formats.dateTime.format(date);

/** The API's form of an instant: UTC, whole seconds, "Z". */
export function toApiInstant(date) {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** "2026-03-24T09:05:00" for <input type=datetime-local step=1>, in the person's zone. */
export function dateTimeInputValue(date) {
  const p = wallClock(date, timeZone);
  return `${String(p.year).padStart(4, "0")}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
}

/** The instant of an <input type=datetime-local> value in the person's zone, or null. */
export function parseDateTimeInput(value) {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(value || "");
  if (!match) return null;
  const [, year, month, day, hour, minute, second] = match.map(Number);
  return wallToInstant({ year, month, day, hour, minute, second: Number.isNaN(second) ? 0 : second }, timeZone);
}
