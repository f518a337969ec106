// Building DOM nodes. Text always goes in as text (textContent), never as
// HTML, so a label like <img src=x onerror=alert(1)> shows as those characters.

import { labelColor } from "./colors.js";

/** el("li", {class: "x", dataset: {id: 1}}, "text", childNode, ...) */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

/** A coloured dot for a label (decorative: the name is always next to it). */
export function swatch(name) {
  const dot = el("span", { class: "swatch", "aria-hidden": "true" });
  dot.style.setProperty("--label-color", labelColor(name));
  return dot;
}

/** A label's name with its colour dot. */
export function labelTag(name) {
  return el("span", { class: "label-tag" }, swatch(name), el("span", { class: "label-name", text: name }));
}

/**
 * Show a message in an element (role=status or role=alert), or clear it.
 *
 * One message at a time per page: a new one clears the older ones, so an old
 * "Added …" never stays above a newer error, nor an old error beside a newer
 * "Saved …". (Errors by single fields, .field-error, are a form's own list
 * and clear only the page's message.)
 */
export function say(element, text) {
  // Only messages take part: a state line such as the tracker's "Offline — 1 change waiting" does not.
  const isMessage = element.matches("#notice, .form-error, .field-error");
  if (text && isMessage) {
    const older = element.classList.contains("field-error") ? "#notice" : "#notice, .form-error";
    for (const other of document.querySelectorAll(older)) {
      if (other !== element && other.textContent) {
        other.textContent = "";
        other.classList.remove("has-text");
      }
    }
  }
  element.textContent = text || "";
  element.classList.toggle("has-text", Boolean(text));
}

/** Show the API's field errors next to their inputs inside a form. */
export function markFieldErrors(form, fieldErrors) {
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  for (const name of Object.keys(fieldErrors || {})) {
    const input = form.elements.namedItem(name);
    if (input && input.setAttribute) input.setAttribute("aria-invalid", "true");
  }
}

/**
 * Handle a form's submit in script, then enable its buttons.
 *
 * The page shells ship submit buttons disabled (and forms as POST): a click
 * before this module runs cannot submit the form natively, which would send
 * its fields, a password included, to the page's own URL.
 */
export function onSubmit(form, handler) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    handler(event);
  });
  for (const button of form.querySelectorAll("button[disabled]")) button.disabled = false;
}

/**
 * Let the browser save `blob` as `filename`. (The token travels as a Bearer
 * header, so a plain link cannot download from the API: api() fetches the
 * file, and this hands it to the browser.)
 */
export function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = Object.assign(document.createElement("a"), { href: url, download: filename });
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

/** Disable a form's buttons while `work` runs. */
export async function busy(form, work) {
  const buttons = form.querySelectorAll("button");
  for (const button of buttons) button.disabled = true;
  try {
    return await work();
  } finally {
    for (const button of buttons) button.disabled = false;
  }
}
