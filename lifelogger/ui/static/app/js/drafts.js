// Drafts: what was typed into a form that writes is never lost to a session
// expiry or a lost connection.
//
// A form opts in with a data-draft="name" attribute (in its template, or in the
// dataset of a form a page builds). While the person types, the form's fields
// are kept in sessionStorage under the signed-in username and the page's path;
// when one of the page's writes succeeds after a submit, that form's draft is
// dropped. If the page is left before that (the session ended and no device
// credential could renew it, so the login page came; a reload while offline),
// the draft is put back into the same form when it is next on screen for the
// same person, with a message. Another person signing in on the same tab never
// sees it: drafts are read only under their owner's username. Passwords are
// never kept. With a device kept signed in, api.js renews the token and resends
// the write itself, so the draft is simply dropped when the write succeeds.

import { say } from "./dom.js";

const KEY_PREFIX = "lifelogger.drafts.";
export const WRITTEN_EVENT = "lifelogger:written";
export const RESTORED_MESSAGE = "Restored what you typed before you were signed out or lost the connection: check it and send it again.";

let owner = null;
const sending = new Set(); // draft keys of forms submitted and not yet written

function storageKey() {
  return KEY_PREFIX + owner;
}

function readAll() {
  try {
    return JSON.parse(sessionStorage.getItem(storageKey())) || {};
  } catch {
    return {};
  }
}

function writeAll(drafts) {
  try {
    if (Object.keys(drafts).length) sessionStorage.setItem(storageKey(), JSON.stringify(drafts));
    else sessionStorage.removeItem(storageKey());
  } catch {
    // Storage full or refused: the form still holds what was typed.
  }
}

function draftKey(form) {
  return `${location.pathname}#${form.dataset.draft}`;
}

function draftForm(node) {
  const form = node && node.form;
  return form && form.dataset && form.dataset.draft ? form : null;
}

/** The form's fields worth keeping: everything typed or chosen, never a password. */
function fieldsOf(form) {
  const values = {};
  for (const field of form.elements) {
    if (!field.name || field.type === "password" || field.type === "hidden" || field.type === "file") continue;
    if (field.type === "radio" || field.type === "checkbox") {
      if (field.checked) values[field.name] = field.value;
    } else {
      values[field.name] = field.value;
    }
  }
  return values;
}

function save(form) {
  const drafts = readAll();
  drafts[draftKey(form)] = fieldsOf(form);
  writeAll(drafts);
}

function drop(key) {
  const drafts = readAll();
  delete drafts[key];
  writeAll(drafts);
}

function restore(form) {
  const key = draftKey(form);
  const values = readAll()[key];
  if (!values || form.dataset.draftRestored) return;
  form.dataset.draftRestored = "true";
  for (const field of form.elements) {
    if (!(field.name in values) && field.type !== "radio" && field.type !== "checkbox") continue;
    if (field.type === "radio" || field.type === "checkbox") field.checked = values[field.name] === field.value;
    else field.value = values[field.name];
  }
  const notice = document.getElementById("notice");
  if (notice) say(notice, RESTORED_MESSAGE);
}

/**
 * Keep drafts for `username` on this page from now on, and put back the ones
 * left on this page by the same person (in forms on screen now or later).
 */
export function keepDrafts(username) {
  if (owner === username) return;
  owner = username;
  document.addEventListener("input", (event) => {
    const form = draftForm(event.target);
    if (form) save(form);
  });
  document.addEventListener("change", (event) => {
    const form = draftForm(event.target);
    if (form) save(form);
  });
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.dataset && form.dataset.draft) {
      save(form);
      sending.add(draftKey(form));
    }
  });
  // api.js tells of every write the server accepted: the forms sent are done.
  window.addEventListener(WRITTEN_EVENT, () => {
    for (const key of sending) drop(key);
    sending.clear();
  });
  for (const form of document.querySelectorAll("form[data-draft]")) restore(form);
  new MutationObserver((changes) => {
    for (const change of changes) {
      for (const node of change.addedNodes) {
        if (node.nodeType !== Node.ELEMENT_NODE) continue;
        if (node.matches("form[data-draft]")) restore(node);
        for (const form of node.querySelectorAll("form[data-draft]")) restore(form);
      }
    }
  }).observe(document.body, { childList: true, subtree: true });
}
