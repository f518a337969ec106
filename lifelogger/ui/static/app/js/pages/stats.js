// Stats: a range of the person's days (presets or custom; profile zone, cut
// at their day start), sent to /stats and /stats/daily as UTC instants; a
// doughnut of shares, a table, and bars per day.

import { api } from "../api.js";
import { labelColor, useLabelSet } from "../colors.js";
import { el, labelTag, onSubmit, say } from "../dom.js";
import { addDays, dayStart, dayStartMinutes, formatDateWith, formatShortDate, monthStart, mondayOf, parseDate, today, yearStart } from "../days.js";
import { formatDuration, toApiInstant } from "../format.js";
import { notice, startPage } from "../shell.js";

const Chart = window.Chart;
const body = document.getElementById("stats-body");
const empty = document.getElementById("no-stats");
const rangeHeading = document.getElementById("range-heading");
const rangeError = document.getElementById("range-error");
const customForm = document.getElementById("custom-range");
const fromInput = document.getElementById("range-from");
const toInput = document.getElementById("range-to");
const reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
const percentFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

let shareChart = null;
let dailyChart = null;
let loading = 0; // answers of an older range are dropped

/** [first day, day after the last) of a preset, as dates; weeks start on Monday. */
function presetRange(preset) {
  const day = today();
  switch (preset) {
    case "today":
      return [day, addDays(day, 1)];
    case "week":
      return [mondayOf(day), addDays(mondayOf(day), 7)];
    case "month":
      return [monthStart(day), monthStart(day, 1)];
    case "last30":
      return [addDays(day, -29), addDays(day, 1)];
    case "year":
      return [yearStart(day), yearStart(day, 1)];
    default:
      return null;
  }
}

function describeRange(first, after) {
  const last = addDays(after, -1);
  return last === first ? formatShortDate(first) : `${formatShortDate(first)} – ${formatShortDate(last)}`;
}

function pressPreset(preset) {
  for (const button of document.querySelectorAll("[data-preset]")) {
    button.setAttribute("aria-pressed", String(button.dataset.preset === preset));
  }
}

/** Show the days from `first` up to, not including, `after` ("2026-03-24"). */
async function show(first, after, preset) {
  pressPreset(preset);
  say(rangeError, "");
  const last = addDays(after, -1);
  fromInput.value = first;
  toInput.value = last;
  const url = new URL(location.href);
  url.search = preset ? `?range=${preset}` : `?from=${first}&to=${last}`;
  history.replaceState(null, "", url);
  rangeHeading.textContent = describeRange(first, after);
  const ticket = ++loading;
  const range = { start: toApiInstant(dayStart(first)), end: toApiInstant(dayStart(after)) };
  // Without tz, /stats/daily cuts the days in the profile's zone at its day start, as here.
  const [labelAnswer, totals, daily] = await Promise.all([
    api("GET", "/labels"),
    api("GET", "/stats", { query: range }),
    api("GET", "/stats/daily", { query: range }),
  ]);
  if (ticket !== loading) return;
  useLabelSet(labelAnswer.labels);
  render(totals, daily.days);
}

function render(totals, days) {
  const names = Object.keys(totals.minutes);
  empty.hidden = names.length > 0;
  body.hidden = names.length === 0;
  document.getElementById("stats-rows").replaceChildren(
    ...names.map((name) =>
      el(
        "tr",
        { dataset: { label: name } },
        el("th", { scope: "row" }, labelTag(name)),
        el("td", { class: "num", text: formatDuration(totals.minutes[name]) }),
        el("td", { class: "num", text: `${percentFormat.format(totals.percentages[name])} %` }),
      ),
    ),
  );
  const total = names.reduce((sum, name) => sum + totals.minutes[name], 0);
  document.getElementById("stats-total").textContent = formatDuration(total);
  if (names.length) drawCharts(names, totals, days);
}

function drawCharts(names, totals, days) {
  const colors = names.map(labelColor);
  const animation = reduceMotion ? false : { duration: 400 };
  shareChart?.destroy();
  shareChart = new Chart(document.getElementById("share-chart"), {
    type: "doughnut",
    data: { labels: names, datasets: [{ data: names.map((n) => totals.minutes[n]), backgroundColor: colors, borderColor: "#ffffff", borderWidth: 2 }] },
    options: {
      animation,
      maintainAspectRatio: false,
      plugins: { legend: { display: false }, tooltip: { callbacks: { label: (c) => ` ${c.label}: ${formatDuration(c.parsed)}` } } },
    },
  });
  const buckets = bucketsOf(days);
  const tallest = Math.max(0, ...buckets.map((b) => names.reduce((sum, n) => sum + (b.minutes[n] || 0), 0)));
  const unit = axisUnit(tallest);
  const heading = BUCKET_HEADINGS[buckets.kind];
  document.getElementById("daily-heading").textContent = heading;
  const canvas = document.getElementById("daily-chart");
  canvas.setAttribute("aria-label", `Stacked bar chart of the time per label, ${heading.toLowerCase()}; the table lists the totals.`);
  dailyChart?.destroy();
  dailyChart = new Chart(canvas, {
    type: "bar",
    data: {
      labels: buckets.map((b) => b.name),
      datasets: names.map((name, i) => ({
        label: name,
        data: buckets.map((b) => b.minutes[name] || 0),
        backgroundColor: colors[i],
      })),
    },
    options: {
      animation,
      maintainAspectRatio: false,
      scales: {
        x: { stacked: true, grid: { display: false }, ticks: { color: "#374151" } },
        y: {
          stacked: true,
          beginAtZero: true,
          title: { display: true, text: unit.title, color: "#374151" },
          ticks: { color: "#374151", stepSize: unit.step, callback: unit.tick },
        },
      },
      plugins: {
        legend: { position: "bottom", labels: { color: "#1f2937", boxWidth: 14 } },
        tooltip: { callbacks: { label: (c) => ` ${c.dataset.label}: ${formatDuration(c.parsed.y)}` } },
      },
    },
  });
}

// --- Bars: per day, week or month, by the range's length ----------------------------
//
// Up to 31 days one bar per day; up to 183 days (about half a year) one per
// week (Monday to Sunday, cut at the range's ends); longer ranges one per
// month, so "This year" is 12 bars, not 365. The sums come from /stats/daily.

const BUCKET_HEADINGS = { day: "Per day", week: "Per week", month: "Per month" };

function bucketKind(dayCount) {
  if (dayCount <= 31) return "day";
  return dayCount <= 183 ? "week" : "month";
}

/** [{name, minutes: {label: minutes}}] with .kind, summed from /stats/daily's days. */
function bucketsOf(days) {
  const kind = bucketKind(days.length);
  const buckets = [];
  const byKey = new Map();
  for (const d of days) {
    const key = kind === "day" ? d.date : kind === "week" ? mondayOf(d.date) : monthStart(d.date);
    let bucket = byKey.get(key);
    if (!bucket) {
      bucket = { name: bucketName(kind, d.date, days.length), minutes: {} };
      byKey.set(key, bucket);
      buckets.push(bucket);
    }
    for (const [label, minutes] of Object.entries(d.minutes)) bucket.minutes[label] = (bucket.minutes[label] || 0) + minutes;
  }
  buckets.kind = kind;
  return buckets;
}

/** A bar's name: "Tue 24" / "24 Mar" (days), "From 23 Mar" (weeks, from their first day in range), "Mar 2026" (months). */
function bucketName(kind, date, dayCount) {
  if (kind === "month") return formatDateWith(date, { month: "short", year: "numeric" });
  if (kind === "week") return `From ${formatDateWith(date, { day: "numeric", month: "short" })}`;
  return formatDateWith(date, dayCount <= 14 ? { weekday: "short", day: "numeric" } : { day: "numeric", month: "short" });
}

/**
 * The bar chart's axis (bars hold minutes): minutes ("15 min") while the
 * tallest bar is under two hours, else whole hours in h:mm ("2:00 h") at a
 * step that gives at most six lines. Never fractions of hours.
 */
function axisUnit(tallest) {
  if (tallest < 120) return { title: "minutes", step: tallest <= 30 ? 5 : 15, tick: (value) => `${value} min` };
  const hours = [1, 2, 3, 4, 6, 12, 24, 48, 96, 168, 336, 720].find((h) => tallest / (h * 60) <= 6) || 1440;
  return { title: "hours", step: hours * 60, tick: (value) => formatDuration(value) };
}

for (const button of document.querySelectorAll("[data-preset]")) {
  button.addEventListener("click", () => {
    const [start, end] = presetRange(button.dataset.preset);
    show(start, end, button.dataset.preset).catch((error) => notice(error.message, "error"));
  });
}

onSubmit(customForm, (event) => {
  event.preventDefault();
  const from = parseDate(fromInput.value);
  const to = parseDate(toInput.value);
  if (!from || !to) return say(rangeError, "Choose both a first and a last day.");
  if (to < from) return say(rangeError, "The last day is before the first day.");
  show(from, addDays(to, 1), null).catch((error) => say(rangeError, error.message));
});

/** The range in the address (?range=week or ?from=…&to=…), else today. */
async function init() {
  document.getElementById("day-start-hint").hidden = dayStartMinutes() === 0;
  const params = new URLSearchParams(location.search);
  const from = parseDate(params.get("from"));
  const to = parseDate(params.get("to"));
  if (from && to && to >= from) return show(from, addDays(to, 1), null);
  const preset = presetRange(params.get("range")) ? params.get("range") : "today";
  const [start, end] = presetRange(preset);
  return show(start, end, preset);
}

startPage(init);
