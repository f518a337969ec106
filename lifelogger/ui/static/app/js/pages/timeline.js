// The timeline: one of the person's days (profile zone, cut at their day
// start) with its events; edit, delete, add by hand.

import { ApiError, api } from "../api.js";
import { useLabelSet } from "../colors.js";
import { busy, el, labelTag, markFieldErrors, onSubmit, say } from "../dom.js";
import { addDays, dateOf, dayOf, dayStart, dayStartMinutes, formatDate, parseDate, today } from "../days.js";
import { limits } from "../limits.js";
import { dateTimeInputValue, formatMinutes, formatShortDay, formatTime, parseDateTimeInput, timeZone, toApiInstant } from "../format.js";
import { wallToInstant } from "../zones.js";
import { notice, startPage } from "../shell.js";

const list = document.getElementById("event-list");
const empty = document.getElementById("no-events");
const heading = document.getElementById("day-heading");
const dayInput = document.getElementById("day-input");
const addForm = document.getElementById("add-event-form");

// The day shown ("2026-03-24"); the person's today once the profile is known.
let day = null;
let events = [];
let labels = [];

const FIELD_WORDS = { started_at: "start", ended_at: "end", label: "label" };

/** The API's error in words, with the overlapping event described in local time. */
function describe(error) {
  const overlaps = error instanceof ApiError && error.status === 409 && error.body.errors?.json?.overlaps;
  if (overlaps) {
    const other = events.find((event) => event.id === overlaps[0]);
    if (other) return `These times overlap your ${other.label} event ${span(other)}. Events cannot overlap; change the times or that event first.`;
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
  heading.textContent = formatDate(day);
  dayInput.value = day;
  empty.hidden = events.length > 0;
  list.replaceChildren(...events.map(row));
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
      el("span", { class: "event-duration", text: `${formatMinutes(minutes(event))} h` }),
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
        say(error, describe(err));
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
    say(error, describe(err));
  }
}

function focusEvent(id) {
  const item = [...list.children].find((li) => li.dataset.id === String(id));
  (item?.querySelector("button") || heading).focus();
}

async function load() {
  const [labelAnswer, eventAnswer] = await Promise.all([
    api("GET", "/labels"),
    api("GET", "/events", { query: { start: toApiInstant(dayStart(day)), end: toApiInstant(dayStart(addDays(day, 1))) } }),
  ]);
  labels = labelAnswer.labels;
  useLabelSet(labels);
  events = eventAnswer.events;
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

async function goTo(newDay) {
  day = newDay;
  const url = new URL(location.href);
  url.searchParams.set("date", day);
  history.replaceState(null, "", url);
  await load();
}

heading.tabIndex = -1;
document.getElementById("prev-day").addEventListener("click", () => day && goTo(addDays(day, -1)));
document.getElementById("next-day").addEventListener("click", () => day && goTo(addDays(day, 1)));
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
      say(error, describe(err));
    }
  });
});

/** The day in the address (?date=2026-03-24), else the person's today. */
function init() {
  day = parseDate(new URLSearchParams(location.search).get("date")) || today();
  document.getElementById("day-start-hint").hidden = dayStartMinutes() === 0;
  return load();
}

startPage(init);
