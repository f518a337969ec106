// Wall-clock time in any IANA zone, from the browser's own tz database
// (Intl.DateTimeFormat), whatever zone the browser itself is in.
//
// turning a local time into an instant follows Python's zoneinfo with fold=0,
// as the server does (lifelogger/core/days.py): a time that occurs twice (autumn)
// is its first occurrence; a time skipped by a spring change is read with the
// offset from before the change (02:30 in a gap from 02:00 to 03:00 is 03:30).

const HOUR = 3600000;
const DAY = 24 * HOUR;
const partFormats = new Map();

function partsFormat(zone) {
  let format = partFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    partFormats.set(zone, format);
  }
  return format;
}

/** True when this browser knows the zone. */
export function knowsZone(zone) {
  try {
    partsFormat(zone);
    return true;
  } catch {
    return false;
  }
}

/** {year, month (1-12), day, hour, minute, second} of an instant (Date or ms) in `zone`. */
export function wallClock(instant, zone) {
  const parts = {};
  for (const { type, value } of partsFormat(zone).formatToParts(instant)) {
    if (type !== "literal") parts[type] = Number(value);
  }
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour % 24, minute: parts.minute, second: parts.second };
}

/** The zone's offset from UTC at an instant, in milliseconds (Berlin in summer: 2 h). */
export function offsetAt(ms, zone) {
  const whole = Math.floor(ms / 1000) * 1000;
  const p = wallClock(whole, zone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - whole;
}

/** The instant (a Date) at which the wall clock in `zone` shows the given time. */
export function wallToInstant({ year, month, day, hour = 0, minute = 0, second = 0 }, zone) {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  // The offsets a day either side bracket any change near this time.
  const before = offsetAt(asUtc - DAY, zone);
  const after = offsetAt(asUtc + DAY, zone);
  const first = asUtc - before;
  if (offsetAt(first, zone) === before) return new Date(first);
  const second_ = asUtc - after;
  if (offsetAt(second_, zone) === after) return new Date(second_);
  return new Date(first); // skipped by a spring change: the offset from before it
}

/**
 * Select `zone` in a <select> of zone names (the server's list), adding it
 * first when the list lacks it (an alias such as Asia/Calcutta, or Etc/GMT-3).
 */
export function chooseZone(select, zone) {
  if (![...select.options].some((option) => option.value === zone)) {
    const option = document.createElement("option");
    option.textContent = zone;
    select.prepend(option);
  }
  select.value = zone;
}
