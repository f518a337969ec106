// The timeline: one of the person's days (profile zone, cut at their day
// start) drawn as a strip of coloured blocks, with its events listed below;
// edit (tap a block or a row's Edit), delete, add by hand. ?view=week shows
// the week (Monday to Sunday) around the day as seven strips.

import { ApiError, api } from "../api.js";
import { labelColor, useLabelSet } from "../colors.js";
import { busy, el, labelTag, markFieldErrors, onSubmit, say } from "../dom.js";
import { addDays, dateOf, dayOf, dayStart, dayStartMinutes, formatDate, formatDateWith, mondayOf, parseDate, today } from "../days.js";
import { limits } from "../limits.js";
import { dateTimeInputValue, formatDuration, formatShortDay, formatTime, parseDateTimeInput, timeZone, toApiInstant } from "../format.js";
import { wallToInstant } from "../zones.js";
import { notice, startPage } from "../shell.js";

const list = document.getElementById("event-list");
const empty = document.getElementById("no-events");
const heading = document.getElementById("day-heading");
const dayInput = document.getElementById("day-input");
const addForm = document.getElementById("add-event-form");

const strip = document.getElementById("day-strip");
const weekView = document.getElementById("week-view");
const dayView = document.getElementById("day-view");

// The day shown ("2026-03-24"); the person's today once the profile is known.
let day = null;
let view = "day"; // or "week"
let events = []; // the day's events: those that start in it (the list)
let drawn = []; // every event that overlaps the days shown (the strips)
let labels = [];

const FIELD_WORDS = { started_at: "start", ended_at: "end", label: "label" };

/** The API's error in words, with the overlapping event described in local time. */
async function describe(error) {
  const overlaps = error instanceof ApiError && error.status === 409 && error.body.errors?.json?.overlaps;
  if (overlaps) {
    // The other event may lie outside the days shown (one running past midnight, say): ask for it.
    let other = drawn.find((event) => event.id === overlaps[0]);
    if (!other) other = await api("GET", `/events/${overlaps[0]}`).catch(() => null);
    if (other) {
      const started = new Date(other.started_at);
      const onDay = dayOf(started) === day ? "" : ` (from ${formatShortDay(started)})`;
      return `These times overlap your ${other.label} event ${span(other)}${onDay}. Events cannot overlap; change the times or that event first.`;
    }
    return "These times overlap another of your events. Events cannot overlap; change the times or that event first.";
  }
  return error.message.replace(/\b(started_at|ended_at)\b/g, (word) => FIELD_WORDS[word]);
}

function span(event) {
  const start = new Date(event.started_at);
  const end = event.ended_at ? new Date(event.ended_at) : null;
  const sameDay = !end || dateOf(end) === dateOf(start);
  const endText = !end ? "now (running)" : sameDay ? formatTime(end) : `${formatTime(end)} (${formatShortDay(end)})`;
  return `${formatTime(start)}–${endText}`;
}

function minutes(event) {
  const end = event.ended_at ? new Date(event.ended_at) : new Date();
  return (end - new Date(event.started_at)) / 60000;
}

function labelSelect(id, selected) {
  const names = labels.includes(selected) || !selected ? labels : [selected, ...labels];
  return el("select", { id, name: "label", required: true }, ...names.map((name) => el("option", { value: name, selected: name === selected }, name)));
}

function render() {
  dayInput.value = day;
  dayView.hidden = view !== "day";
  weekView.hidden = view !== "week";
  for (const link of document.querySelectorAll("[data-view]")) {
    link.href = `${location.pathname}?date=${day}${link.dataset.view === "week" ? "&view=week" : ""}`;
    if (link.dataset.view === view) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  document.getElementById("prev-day").textContent = view === "week" ? "← Previous week" : "← Previous day";
  document.getElementById("next-day").textContent = view === "week" ? "Next week →" : "Next day →";
  if (view === "week") {
    const monday = mondayOf(day);
    heading.textContent = `Week from ${formatDate(monday)}`;
    weekView.replaceChildren(...[0, 1, 2, 3, 4, 5, 6].map((n) => weekRow(addDays(monday, n))));
    return;
  }
  heading.textContent = formatDate(day);
  empty.hidden = events.length > 0;
  list.replaceChildren(...events.map(row));
  strip.replaceChildren(...dayStrip(day, (event) => {
    const item = [...list.children].find((li) => li.dataset.id === String(event.id));
    if (item) edit(item, event);
  }));
}

// --- The strips: a day from its start to the next day's, blocks where events are ------

/** The blocks and hour marks of one day's strip; `onPick(event)` when a block is tapped. */
function dayStrip(date, onPick) {
  const begins = dayStart(date).getTime();
  const ends = dayStart(addDays(date, 1)).getTime(); // 23 or 25 hours away when the clocks change
  const length = ends - begins;
  const now = Date.now();
  const blocks = [];
  for (const event of drawn) {
    const start = Math.max(begins, new Date(event.started_at).getTime());
    const end = Math.min(ends, event.ended_at ? new Date(event.ended_at).getTime() : now);
    if (end <= start) continue;
    const block = el("button", {
      type: "button",
      class: `strip-block${event.ended_at ? "" : " is-running"}`,
      "aria-label": `${event.label}, ${span(event)}, ${formatDuration(minutes(event))}${event.ended_at ? "" : ", running"}. Edit`,
      title: `${event.label}, ${span(event)}`,
      dataset: { id: event.id, label: event.label },
      onclick: () => onPick(event),
    });
    block.style.left = `${(100 * (start - begins)) / length}%`;
    block.style.width = `${(100 * (end - start)) / length}%`;
    block.style.setProperty("--label-color", labelColor(event.label));
    blocks.push(block);
  }
  // Marks every 6 hours from the day start, in the person's time.
  const marks = [0, 6, 12, 18].map((hours) => {
    const at = begins + hours * 3600000;
    const mark = el("span", { class: "strip-mark", "aria-hidden": "true", text: formatTime(new Date(at)) });
    mark.style.left = `${(100 * (at - begins)) / length}%`;
    return mark;
  });
  return [el("div", { class: "strip-track" }, ...blocks), el("div", { class: "strip-marks" }, ...marks)];
}

/** One day of the week view: its name (a link to the day) and its strip. */
function weekRow(date) {
  const link = el("a", { href: `${location.pathname}?date=${date}`, class: "week-day-link", onclick: (e) => { e.preventDefault(); goTo(date, "day"); } },
    formatDateWith(date, { weekday: "short", day: "numeric", month: "short" }));
  const total = drawn.filter((event) => dayOf(new Date(event.started_at)) === date).reduce((sum, event) => sum + minutes(event), 0);
  return el(
    "li",
    { class: "week-row", dataset: { date } },
    el("p", { class: "week-day" }, link, el("span", { class: "week-total", text: total ? formatDuration(total) : "—" })),
    el("div", { class: "strip" }, ...dayStrip(date, (event) => openEvent(date, event.id))),
  );
}

/** From the week: the event's day, with its edit form open. */
async function openEvent(date, id) {
  await goTo(dayOf(new Date(drawn.find((e) => e.id === id).started_at)), "day");
  const event = events.find((e) => e.id === id);
  const item = [...list.children].find((li) => li.dataset.id === String(id));
  if (event && item) edit(item, event);
}

function row(event) {
  const item = el("li", { class: "event-row", dataset: { id: event.id } });
  const error = el("p", { class: "form-error", role: "alert" });
  const when = span(event);
  item.append(
    el(
      "div",
      { class: "row-main" },
      el("span", { class: "event-time", text: when }),
      labelTag(event.label),
      el("span", { class: "event-duration", text: formatDuration(minutes(event)) }),
      el(
        "div",
        { class: "row-actions" },
        el("button", { type: "button", class: "button", "aria-label": `Edit ${event.label} ${when}`, onclick: () => edit(item, event) }, "Edit"),
        el(
          "button",
          { type: "button", class: "button button-danger-quiet", "aria-label": `Delete ${event.label} ${when}`, onclick: () => remove(event, error) },
          "Delete",
        ),
      ),
    ),
    error,
  );
  if (event.note) item.insertBefore(el("p", { class: "event-note", text: event.note }), error);
  return item;
}

function edit(item, event) {
  const id = `edit-${event.id}`;
  const error = el("p", { class: "form-error", role: "alert" });
  const form = el(
    "form",
    { class: "stack event-form", novalidate: true, "aria-label": `Edit ${event.label} ${span(event)}`, dataset: { draft: `edit-${event.id}` } },
    el("div", { class: "field" }, el("label", { for: `${id}-label`, text: "Label" }), labelSelect(`${id}-label`, event.label)),
    el(
      "div",
      { class: "field-row" },
      el(
        "div",
        { class: "field" },
        el("label", { for: `${id}-start`, text: "Start" }),
        el("input", { id: `${id}-start`, name: "started_at", type: "datetime-local", step: "1", required: true, value: dateTimeInputValue(new Date(event.started_at)) }),
      ),
      el(
        "div",
        { class: "field" },
        el("label", { for: `${id}-end`, text: "End" }),
        el("input", {
          id: `${id}-end`,
          name: "ended_at",
          type: "datetime-local",
          step: "1",
          value: event.ended_at ? dateTimeInputValue(new Date(event.ended_at)) : "",
          "aria-describedby": event.ended_at ? null : `${id}-end-hint`,
        }),
        event.ended_at ? null : el("p", { id: `${id}-end-hint`, class: "hint", text: "Running: leave empty to keep it running, or set an end to stop it." }),
      ),
    ),
    el(
      "div",
      { class: "field" },
      el("label", { for: `${id}-note`, text: "Note" }),
      el("textarea", { id: `${id}-note`, name: "note", rows: "2", maxlength: String(limits.event_changes.note.max_length) }, event.note || ""),
    ),
    error,
    el(
      "div",
      { class: "button-row" },
      el("button", { type: "submit", class: "button button-primary" }, "Save"),
      el("button", { type: "button", class: "button button-quiet", onclick: () => { render(); focusEvent(event.id); } }, "Cancel"),
    ),
  );
  form.addEventListener("submit", async (submitEvent) => {
    submitEvent.preventDefault();
    say(error, "");
    const changes = { label: form.elements.label.value, note: form.elements.note.value.trim() || null };
    const start = parseDateTimeInput(form.elements.started_at.value);
    const end = parseDateTimeInput(form.elements.ended_at.value);
    if (!start) return say(error, "Enter a start date and time.");
    changes.started_at = toApiInstant(start);
    if (end) changes.ended_at = toApiInstant(end);
    else if (event.ended_at) return say(error, "Enter an end date and time.");
    await busy(form, async () => {
      try {
        await api("PATCH", `/events/${event.id}`, { body: changes });
        await load();
        notice(`Saved the ${changes.label} event.`);
        focusEvent(event.id);
      } catch (err) {
        markFieldErrors(form, err.fieldErrors);
        say(error, await describe(err));
      }
    });
  });
  item.replaceChildren(form);
  form.elements.label.focus();
}

async function remove(event, error) {
  if (!window.confirm(`Delete the ${event.label} event ${span(event)}? This cannot be undone.`)) return;
  try {
    await api("DELETE", `/events/${event.id}`);
    await load();
    notice(`Deleted the ${event.label} event.`);
    heading.focus();
  } catch (err) {
    say(error, await describe(err));
  }
}

function focusEvent(id) {
  const item = [...list.children].find((li) => li.dataset.id === String(id));
  (item?.querySelector("button") || heading).focus();
}

async function load() {
  // From a day before the first day shown: an event started then may run into it.
  const first = view === "week" ? mondayOf(day) : day;
  const after = addDays(first, view === "week" ? 7 : 1);
  const [labelAnswer, eventAnswer] = await Promise.all([
    api("GET", "/labels"),
    api("GET", "/events", { query: { start: toApiInstant(dayStart(addDays(first, -1))), end: toApiInstant(dayStart(after)) } }),
  ]);
  labels = labelAnswer.labels;
  useLabelSet(labels);
  drawn = eventAnswer.events;
  events = drawn.filter((event) => dayOf(new Date(event.started_at)) === day);
  render();
  fillAddForm();
}

function fillAddForm() {
  const select = labelSelect("add-label", addForm.elements.label.value || labels[0]);
  addForm.elements.label.replaceWith(select);
  const now = new Date();
  const begins = dayStart(day);
  let start;
  let end;
  if (day === today()) {
    end = new Date(Math.floor(now.getTime() / 60000) * 60000);
    start = new Date(Math.max(end - 3600000, begins.getTime()));
  } else {
    // 09:00 on that date, or the day's start when the day begins later.
    const [year, month, date] = day.split("-").map(Number);
    start = new Date(Math.max(wallToInstant({ year, month, day: date, hour: 9 }, timeZone).getTime(), begins.getTime()));
    end = new Date(start.getTime() + 3600000);
  }
  addForm.elements.started_at.value = dateTimeInputValue(start);
  addForm.elements.ended_at.value = dateTimeInputValue(end);
}

async function goTo(newDay, newView = view) {
  day = newDay;
  view = newView;
  const url = new URL(location.href);
  url.searchParams.set("date", day);
  if (view === "week") url.searchParams.set("view", "week");
  else url.searchParams.delete("view");
  history.replaceState(null, "", url);
  await load();
}

heading.tabIndex = -1;
const step = () => (view === "week" ? 7 : 1);
document.getElementById("prev-day").addEventListener("click", () => day && goTo(addDays(day, -step())));
document.getElementById("next-day").addEventListener("click", () => day && goTo(addDays(day, step())));
for (const link of document.querySelectorAll("[data-view]")) {
  link.addEventListener("click", (e) => {
    e.preventDefault();
    if (day) goTo(day, link.dataset.view);
  });
}
document.getElementById("today").addEventListener("click", () => goTo(today()));
dayInput.addEventListener("change", () => {
  const picked = parseDate(dayInput.value);
  if (picked) goTo(picked);
});

onSubmit(addForm, async (submitEvent) => {
  submitEvent.preventDefault();
  const error = addForm.querySelector(".form-error");
  say(error, "");
  markFieldErrors(addForm, {});
  const start = parseDateTimeInput(addForm.elements.started_at.value);
  const end = parseDateTimeInput(addForm.elements.ended_at.value);
  const label = addForm.elements.label.value;
  const note = addForm.elements.note.value.trim();
  if (!label) return say(error, "Add a label first (on the Labels page).");
  if (!start || !end) return say(error, "Enter both a start and an end.");
  await busy(addForm, async () => {
    try {
      const body = { label, started_at: toApiInstant(start), ended_at: toApiInstant(end) };
      if (note) body.note = note;
      const created = await api("POST", "/events", { body });
      addForm.elements.note.value = "";
      const createdDay = dayOf(new Date(created.started_at));
      if (createdDay !== day) await goTo(createdDay);
      else await load();
      notice(`Added a ${label} event, ${span(created)}.`);
    } catch (err) {
      markFieldErrors(addForm, err.fieldErrors);
      say(error, await describe(err));
    }
  });
});

/** The day in the address (?date=2026-03-24), else the person's today. */
function init() {
  const params = new URLSearchParams(location.search);
  day = parseDate(params.get("date")) || today();
  view = params.get("view") === "week" ? "week" : "day";
  document.getElementById("day-start-hint").hidden = dayStartMinutes() === 0;
  // A running event's block grows: redrawn once a minute while the page is seen
  // (not while an edit form is open, which a redraw would close).
  setInterval(() => {
    if (document.visibilityState === "visible" && drawn.some((e) => !e.ended_at) && !document.querySelector("#event-list form")) render();
  }, 60000);
  return load();
}

startPage(init);
