// Stats: a range in local time (presets or custom), sent to /stats and
// /stats/daily as UTC; a doughnut of shares, a table, and bars per day.

import { api } from "../api.js";
import { labelColor, useLabelSet } from "../colors.js";
import { el, labelTag, onSubmit, say } from "../dom.js";
import {
  addDays,
  dateInputValue,
  formatMinutes,
  formatShortDay,
  parseDateInput,
  startOfDay,
  timeZone,
  toApiInstant,
} from "../format.js";
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

for (const node of document.querySelectorAll(".tz-name")) node.textContent = timeZone;

let shareChart = null;
let dailyChart = null;
let loading = 0; // answers of an older range are dropped

/** [start, end) in local time for a preset; weeks start on Monday. */
function presetRange(preset, now = new Date()) {
  const today = startOfDay(now);
  switch (preset) {
    case "today":
      return [today, addDays(today, 1)];
    case "week": {
      const monday = addDays(today, -((today.getDay() + 6) % 7));
      return [monday, addDays(monday, 7)];
    }
    case "month":
      return [new Date(today.getFullYear(), today.getMonth(), 1), new Date(today.getFullYear(), today.getMonth() + 1, 1)];
    case "last30":
      return [addDays(today, -29), addDays(today, 1)];
    case "year":
      return [new Date(today.getFullYear(), 0, 1), new Date(today.getFullYear() + 1, 0, 1)];
    default:
      return null;
  }
}

function describeRange(start, end) {
  const last = addDays(end, -1);
  return last.getTime() === start.getTime() ? formatShortDay(start) : `${formatShortDay(start)} – ${formatShortDay(last)}`;
}

function pressPreset(preset) {
  for (const button of document.querySelectorAll("[data-preset]")) {
    button.setAttribute("aria-pressed", String(button.dataset.preset === preset));
  }
}

async function show(start, end, preset) {
  pressPreset(preset);
  say(rangeError, "");
  fromInput.value = dateInputValue(start);
  toInput.value = dateInputValue(addDays(end, -1));
  const url = new URL(location.href);
  url.search = preset ? `?range=${preset}` : `?from=${dateInputValue(start)}&to=${dateInputValue(addDays(end, -1))}`;
  history.replaceState(null, "", url);
  rangeHeading.textContent = describeRange(start, end);
  const ticket = ++loading;
  const range = { start: toApiInstant(start), end: toApiInstant(end) };
  const [labelAnswer, totals, daily] = await Promise.all([
    api("GET", "/labels"),
    api("GET", "/stats", { query: range }),
    api("GET", "/stats/daily", { query: { ...range, tz: timeZone } }),
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
        el("td", { class: "num", text: formatMinutes(totals.minutes[name]) }),
        el("td", { class: "num", text: `${percentFormat.format(totals.percentages[name])} %` }),
      ),
    ),
  );
  const total = names.reduce((sum, name) => sum + totals.minutes[name], 0);
  document.getElementById("stats-total").textContent = formatMinutes(total);
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
      plugins: { legend: { display: false }, tooltip: { callbacks: { label: (c) => ` ${c.label}: ${formatMinutes(c.parsed)} h` } } },
    },
  });
  const dayLabels = days.map((d) => {
    const date = parseDateInput(d.date);
    return days.length <= 14 ? date.toLocaleDateString(undefined, { weekday: "short", day: "numeric" }) : date.toLocaleDateString(undefined, { day: "numeric", month: "short" });
  });
  dailyChart?.destroy();
  dailyChart = new Chart(document.getElementById("daily-chart"), {
    type: "bar",
    data: {
      labels: dayLabels,
      datasets: names.map((name, i) => ({
        label: name,
        data: days.map((d) => (d.minutes[name] || 0) / 60),
        backgroundColor: colors[i],
      })),
    },
    options: {
      animation,
      maintainAspectRatio: false,
      scales: {
        x: { stacked: true, grid: { display: false }, ticks: { color: "#374151" } },
        y: { stacked: true, beginAtZero: true, title: { display: true, text: "hours", color: "#374151" }, ticks: { color: "#374151" } },
      },
      plugins: {
        legend: { position: "bottom", labels: { color: "#1f2937", boxWidth: 14 } },
        tooltip: { callbacks: { label: (c) => ` ${c.dataset.label}: ${formatMinutes(c.parsed.y * 60)} h` } },
      },
    },
  });
}

for (const button of document.querySelectorAll("[data-preset]")) {
  button.addEventListener("click", () => {
    const [start, end] = presetRange(button.dataset.preset);
    show(start, end, button.dataset.preset).catch((error) => notice(error.message));
  });
}

onSubmit(customForm, (event) => {
  event.preventDefault();
  const from = parseDateInput(fromInput.value);
  const to = parseDateInput(toInput.value);
  if (!from || !to) return say(rangeError, "Choose both a first and a last day.");
  if (to < from) return say(rangeError, "The last day is before the first day.");
  show(from, addDays(to, 1), null).catch((error) => say(rangeError, error.message));
});

/** The range in the address (?range=week or ?from=…&to=…), else today. */
async function init() {
  const params = new URLSearchParams(location.search);
  const from = parseDateInput(params.get("from"));
  const to = parseDateInput(params.get("to"));
  if (from && to && to >= from) return show(from, addDays(to, 1), null);
  const preset = presetRange(params.get("range")) ? params.get("range") : "today";
  const [start, end] = presetRange(preset);
  return show(start, end, preset);
}

startPage(init);
