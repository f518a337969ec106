// Labels: add, rename (events follow), delete (refused while events use it),
// and a goal per label (PUT/DELETE /goals/<label>).

import { api, labelPath } from "../api.js";
import { useLabelSet } from "../colors.js";
import { busy, el, labelTag, markFieldErrors, onSubmit, say } from "../dom.js";
import { limits } from "../limits.js";
import { notice, startPage } from "../shell.js";

const addForm = document.getElementById("add-label-form");
const addError = document.getElementById("add-label-error");
const list = document.getElementById("label-list");
const empty = document.getElementById("no-labels");

let labels = [];
let goals = new Map(); // label name → its goal

function render() {
  empty.hidden = labels.length > 0;
  list.replaceChildren(...labels.map(row));
}

function row(name) {
  const error = el("p", { class: "form-error", role: "alert" });
  const item = el("li", { class: "label-row", dataset: { label: name } });
  const goal = goals.get(name);
  const view = el(
    "div",
    { class: "row-main" },
    labelTag(name),
    el("span", { class: "goal-summary", text: goal ? `Goal: ${describeGoal(goal)}` : "No goal" }),
    el(
      "div",
      { class: "row-actions" },
      el(
        "button",
        { type: "button", class: "button", "aria-label": goal ? `Change the goal of ${name}` : `Set a goal for ${name}`, onclick: () => showGoalForm(item, name) },
        "Goal",
      ),
      el("button", { type: "button", class: "button rename-button", "aria-label": `Rename ${name}`, onclick: () => showRename(item, name) }, "Rename"),
      el("button", { type: "button", class: "button button-danger-quiet", "aria-label": `Delete ${name}`, onclick: () => remove(name, error) }, "Delete"),
    ),
  );
  item.append(view, error);
  return item;
}

function showRename(item, name) {
  const inputId = `rename-${Math.random().toString(36).slice(2)}`;
  const error = el("p", { class: "form-error", role: "alert" });
  const input = el("input", { id: inputId, name: "name", value: name, maxlength: String(limits.label.name.max_length), required: true, autocomplete: "off" });
  const form = el(
    "form",
    { class: "inline-form", novalidate: true, dataset: { draft: `rename-${name}` } },
    el("div", { class: "field grow" }, el("label", { for: inputId, text: `New name for ${name}` }), input),
    el("button", { type: "submit", class: "button button-primary" }, "Save"),
    el("button", { type: "button", class: "button button-quiet", onclick: () => { render(); focusRow(name); } }, "Cancel"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const newName = input.value.trim();
    if (!newName) return say(error, "Enter a name.");
    await busy(form, async () => {
      try {
        const renamed = await api("PATCH", labelPath(name), { body: { name: newName } });
        await load();
        notice(`Renamed ${name} to ${renamed.name}.`);
        focusRow(renamed.name);
      } catch (err) {
        say(error, err.message);
        input.setAttribute("aria-invalid", "true");
      }
    });
  });
  item.replaceChildren(form, error);
  input.select();
}

async function remove(name, error) {
  if (!window.confirm(`Delete the label “${name}”?`)) return;
  try {
    await api("DELETE", labelPath(name));
    await load();
    notice(`Deleted ${name}.`);
    addForm.elements.name.focus();
  } catch (err) {
    say(error, err.message);
  }
}

function focusRow(name) {
  const item = [...list.children].find((li) => li.dataset.label === name);
  item?.querySelector(".rename-button")?.focus();
}

async function load() {
  const [labelAnswer, goalAnswer] = await Promise.all([api("GET", "/labels"), api("GET", "/goals")]);
  labels = labelAnswer.labels;
  goals = new Map(goalAnswer.goals.map((goal) => [goal.label, goal]));
  useLabelSet(labels);
  render();
}

// --- Goals ------------------------------------------------------------------------

/** "at least 45 min a day", "at most 2:00 h a week". */
function describeGoal(goal) {
  return `${goal.kind === "at_least" ? "at least" : "at most"} ${goal.minutes} min a ${goal.per}`;
}

function goalFocus(name) {
  const item = [...list.children].find((li) => li.dataset.label === name);
  item?.querySelector(".row-actions button")?.focus(); // the Goal button
}

const GOAL_MINUTES = limits.goal.minutes;
const GOAL_MINUTES_RULE = `Enter whole minutes from ${GOAL_MINUTES.min} to ${GOAL_MINUTES.max}${GOAL_MINUTES.max === 7 * 24 * 60 ? " (a week)" : ""}.`;

function showGoalForm(item, name) {
  const goal = goals.get(name) || { kind: "at_least", minutes: 30, per: "day" };
  const id = `goal-${Math.random().toString(36).slice(2)}`;
  const error = el("p", { class: "form-error", role: "alert" });
  const choice = (field, label, options) =>
    el(
      "div",
      { class: "field" },
      el("label", { for: `${id}-${field}`, text: label }),
      el("select", { id: `${id}-${field}`, name: field }, ...options.map(([value, text]) => el("option", { value, selected: goal[field] === value }, text))),
    );
  const form = el(
    "form",
    { class: "inline-form goal-form", novalidate: true, dataset: { draft: `goal-${name}` } },
    choice("kind", `Goal for ${name}`, [["at_least", "At least"], ["at_most", "At most"]]),
    el(
      "div",
      { class: "field" },
      el("label", { for: `${id}-minutes`, text: "Minutes" }),
      el("input", { id: `${id}-minutes`, name: "minutes", type: "number", min: String(GOAL_MINUTES.min), max: String(GOAL_MINUTES.max), step: "1", inputmode: "numeric", value: String(goal.minutes), required: true }),
    ),
    choice("per", "Per", [["day", "day"], ["week", "week (from Monday)"]]),
    el("button", { type: "submit", class: "button button-primary" }, "Save goal"),
    goals.has(name) ? el("button", { type: "button", class: "button button-danger-quiet", onclick: () => removeGoal(name, error) }, "Remove goal") : null,
    el("button", { type: "button", class: "button button-quiet", onclick: () => { render(); goalFocus(name); } }, "Cancel"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    say(error, "");
    const minutes = Number(form.elements.minutes.value);
    if (!Number.isInteger(minutes) || minutes < GOAL_MINUTES.min || minutes > GOAL_MINUTES.max) {
      form.elements.minutes.setAttribute("aria-invalid", "true");
      return say(error, GOAL_MINUTES_RULE);
    }
    await busy(form, async () => {
      try {
        const saved = await api("PUT", `/goals/${encodeURIComponent(name)}`, {
          body: { kind: form.elements.kind.value, minutes, per: form.elements.per.value },
        });
        await load();
        notice(`Goal for ${name}: ${describeGoal(saved)}.`);
        goalFocus(name);
      } catch (err) {
        markFieldErrors(form, err.fieldErrors);
        say(error, err.message);
      }
    });
  });
  item.replaceChildren(form, error);
  form.elements.kind.focus();
}

async function removeGoal(name, error) {
  try {
    await api("DELETE", `/goals/${encodeURIComponent(name)}`);
    await load();
    notice(`Removed the goal for ${name}.`);
    goalFocus(name);
  } catch (err) {
    say(error, err.message);
  }
}

onSubmit(addForm, async (event) => {
  event.preventDefault();
  say(addError, "");
  const input = addForm.elements.name;
  const name = input.value.trim();
  if (!name) {
    say(addError, "Enter a name for the label.");
    return;
  }
  await busy(addForm, async () => {
    try {
      const created = await api("POST", "/labels", { body: { name } });
      input.value = "";
      input.removeAttribute("aria-invalid");
      await load();
      notice(`Added ${created.name}.`);
    } catch (err) {
      input.setAttribute("aria-invalid", "true");
      say(addError, err.message);
    }
  });
  input.focus();
});

startPage(load);
