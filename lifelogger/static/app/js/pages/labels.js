// Labels: add, rename (events follow), delete (refused while events use it).

import { api, labelPath } from "../api.js";
import { useLabelSet } from "../colors.js";
import { busy, el, labelTag, onSubmit, say } from "../dom.js";
import { notice, startPage } from "../shell.js";

const addForm = document.getElementById("add-label-form");
const addError = document.getElementById("add-label-error");
const list = document.getElementById("label-list");
const empty = document.getElementById("no-labels");

let labels = [];

function render() {
  empty.hidden = labels.length > 0;
  list.replaceChildren(...labels.map(row));
}

function row(name) {
  const error = el("p", { class: "form-error", role: "alert" });
  const item = el("li", { class: "label-row", dataset: { label: name } });
  const view = el(
    "div",
    { class: "row-main" },
    labelTag(name),
    el(
      "div",
      { class: "row-actions" },
      el("button", { type: "button", class: "button", "aria-label": `Rename ${name}`, onclick: () => showRename(item, name) }, "Rename"),
      el("button", { type: "button", class: "button button-danger-quiet", "aria-label": `Delete ${name}`, onclick: () => remove(name, error) }, "Delete"),
    ),
  );
  item.append(view, error);
  return item;
}

function showRename(item, name) {
  const inputId = `rename-${Math.random().toString(36).slice(2)}`;
  const error = el("p", { class: "form-error", role: "alert" });
  const input = el("input", { id: inputId, name: "name", value: name, maxlength: "64", required: true, autocomplete: "off" });
  const form = el(
    "form",
    { class: "inline-form", novalidate: true },
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
  item?.querySelector("button")?.focus();
}

async function load() {
  labels = (await api("GET", "/labels")).labels;
  useLabelSet(labels);
  render();
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
