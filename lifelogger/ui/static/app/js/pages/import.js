// Import: upload a file with POST /import?dry_run=true, show the report, and
// only then offer "Import for real" for exactly the bytes and choices checked.

import { ApiError, api } from "../api.js";
import { busy, el, markFieldErrors, onSubmit, say } from "../dom.js";
import { notice, startPage } from "../shell.js";
import { chooseZone } from "../zones.js";

const form = document.getElementById("import-form");
const formError = form.querySelector(".form-error");
const formatSelect = document.getElementById("import-format");
const zoneField = document.getElementById("timezone-field");
const zoneSelect = document.getElementById("import-timezone");
const zoneError = document.getElementById("import-timezone-error");
const dateSelect = document.getElementById("import-date-format");
const overlapSelect = document.getElementById("import-overlaps");
const report = document.getElementById("report");
const reportHeading = document.getElementById("report-heading");
const realButton = document.getElementById("import-for-real");
const trimOffer = document.getElementById("trim-offer");

// What the last dry run checked (the file's bytes, read once, and the query):
// the real import sends exactly this, even if the file changes on disk since.
let checked = null;

function needsZone() {
  // Detection may find a format of local times: then the zone is sent too.
  const option = formatSelect.selectedOptions[0];
  return option.value === "" || option.hasAttribute("data-needs-timezone");
}

function showFormat() {
  const where = formatSelect.selectedOptions[0].dataset.where;
  document.getElementById("import-format-hint").textContent = where
    ? `Where to get it: ${where}.`
    : "The server reads the file's header to tell which tracker wrote it; choose one if it cannot.";
  zoneField.hidden = !needsZone();
}

/** A changed choice makes the last report stale: check again before importing. */
function forgetReport() {
  checked = null;
  report.hidden = true;
  realButton.hidden = true;
}

formatSelect.addEventListener("change", () => {
  showFormat();
  forgetReport();
});
for (const input of [form.elements.file, zoneSelect, dateSelect, overlapSelect]) input.addEventListener("change", forgetReport);

const plural = (count, one, many) => `${count} ${count === 1 ? one : many}`;
const INSTANT = /(\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d)?(?:[+-]\d\d:\d\d|Z)?)/;

/** A message as nodes, each instant in it kept whole when the line wraps. */
function messageNodes(text) {
  return String(text)
    .split(INSTANT)
    .map((part, index) => (index % 2 ? el("span", { class: "instant", text: part }) : document.createTextNode(part)));
}

function rowsTable(bodyId, rows, cells) {
  document.getElementById(bodyId).replaceChildren(
    ...rows.map((row) => el("tr", {}, el("td", { class: "num", text: row.row === null ? "file" : String(row.row) }), el("td", {}, ...cells(row)))),
  );
}

/** Show an import report: a 200's, or a 422's (the same fields beside code and message). */
function showReport(answer, dryRun) {
  const errors = answer.errors || [];
  const total = answer.errors_total ?? errors.length;
  report.hidden = false;
  const ok = total === 0;
  const imported = answer.imported ?? 0;
  if (!ok) {
    reportHeading.textContent = dryRun ? "Dry run: this file cannot be imported yet" : "Nothing was imported";
    const counted = answer.complete === false ? `At least ${total} rows have problems` : plural(total, "row has a problem", "rows have problems");
    document.getElementById("report-summary").textContent =
      `${counted}, so nothing ${dryRun ? "would be" : "was"} imported (an import is all or nothing). Fix ${total === 1 ? "it" : "them"} in the file and check it again.`;
  } else if (dryRun) {
    reportHeading.textContent = "Dry run: nothing was imported yet";
    document.getElementById("report-summary").textContent = imported
      ? `Importing this file would add ${plural(imported, "event", "events")}. Press “Import for real” to do it.`
      : "This file adds nothing new: every event in it is already in your log.";
  } else {
    reportHeading.textContent = `Imported ${plural(imported, "event", "events")}`;
    document.getElementById("report-summary").textContent = "Done: the events are in your timeline and stats.";
  }
  document.getElementById("report-imported").textContent = dryRun || !ok ? `${imported} would be imported` : `${imported} imported`;
  document.getElementById("report-duplicates").textContent = String(answer.skipped_duplicates ?? 0);
  document.getElementById("report-empty").textContent = String(answer.skipped_empty ?? 0);
  const away = answer.skipped_trimmed_away ? `, ${answer.skipped_trimmed_away} left with nothing (skipped)` : "";
  document.getElementById("report-trimmed-count").textContent = `${answer.trimmed_total ?? 0}${away}`;
  const running = answer.running_started ? `row ${answer.running_started} becomes your running event` : "none started";
  document.getElementById("report-running").textContent = `${running}; ${(answer.skipped_running || []).length} skipped`;
  const created = answer.labels_created || [];
  document.getElementById("report-labels").textContent = created.length ? created.join(", ") : "none";

  const trimmed = answer.trimmed || [];
  document.getElementById("report-trimmed").hidden = trimmed.length === 0;
  rowsTable("report-trimmed-rows", trimmed, (row) => [String(row.seconds)]);
  const skipped = answer.skipped_running || [];
  document.getElementById("report-skipped").hidden = skipped.length === 0;
  rowsTable("report-skipped-rows", skipped, (row) => messageNodes(row.message));
  document.getElementById("report-errors").hidden = ok;
  rowsTable("report-error-rows", errors, (error) => messageNodes(error.message));
  const more = document.getElementById("report-errors-more");
  more.hidden = total <= errors.length;
  more.textContent = `The first ${errors.length} of ${answer.complete === false ? "at least " : ""}${total} are listed.`;

  // Under "refuse", offer what "trim" would do when it fixes every overlap.
  const preview = answer.trim_preview || {};
  const onlyOverlaps = errors.length > 0 && errors.every((error) => error.field === "overlaps") && answer.complete !== false;
  trimOffer.hidden = !(dryRun && answer.overlaps === "refuse" && onlyOverlaps && preview.rows + preview.skipped > 0);
  if (!trimOffer.hidden) {
    const span = preview.min_seconds === preview.max_seconds ? `${preview.min_seconds}` : `${preview.min_seconds}–${preview.max_seconds}`;
    const parts = [];
    if (preview.rows) parts.push(`${plural(preview.rows, "row overlaps", "rows overlap")} earlier ones by ${span} s`);
    if (preview.skipped) parts.push(`${plural(preview.skipped, "row lies", "rows lie")} wholly inside others and would be skipped`);
    document.getElementById("trim-offer-text").textContent = `${parts.join("; ")} — trim them?`;
  }
  realButton.hidden = !(dryRun && ok && imported > 0);
  document.getElementById("report-timeline").hidden = dryRun || !ok;
  reportHeading.focus();
}

async function send(choice, dryRun) {
  const body = new FormData();
  body.append("file", new Blob([choice.bytes]), choice.name);
  return api("POST", "/import", { query: { ...choice.query, dry_run: dryRun ? "true" : "false" }, body });
}

/** Show an error answer: a report with rows, the file's problem in the form, or the message. */
function showError(err, dryRun) {
  const body = (err instanceof ApiError && err.body) || {};
  const listed = Array.isArray(body.errors) ? body.errors : null;
  if (err instanceof ApiError && err.status === 422 && listed && listed.some((error) => error.row !== null)) {
    showReport(body, dryRun);
    return;
  }
  // The file as a whole (row null), or the query's fields: shown in the form.
  const fields = listed
    ? Object.fromEntries(listed.map((error) => [error.field, [error.message]]))
    : { ...(body.errors || {}), ...((body.errors && body.errors.query) || {}) };
  if (fields.timezone) {
    zoneField.hidden = false;
    zoneSelect.setAttribute("aria-invalid", "true");
    say(zoneError, [].concat(fields.timezone).join(" "));
  }
  if (fields.format) formatSelect.setAttribute("aria-invalid", "true");
  if (fields.file) form.elements.file.setAttribute("aria-invalid", "true");
  say(formError, err.message);
}

async function check() {
  forgetReport();
  say(formError, "");
  say(zoneError, "");
  markFieldErrors(form, {});
  formatSelect.removeAttribute("aria-invalid");
  const file = form.elements.file.files[0];
  if (!file) {
    markFieldErrors(form, { file: true });
    return say(formError, "Choose the file to import.");
  }
  const query = {
    format: formatSelect.value,
    timezone: needsZone() ? zoneSelect.value : null,
    date_format: dateSelect.value,
    overlaps: overlapSelect.value,
  };
  await busy(form, async () => {
    let choice;
    try {
      choice = { bytes: await file.arrayBuffer(), name: file.name, query };
    } catch {
      return say(formError, "The file cannot be read: choose it again.");
    }
    try {
      const answer = await send(choice, true);
      if (!query.format && answer.format) formatSelect.value = answer.format; // what the server detected
      showFormat();
      showReport(answer, true);
      checked = choice;
    } catch (err) {
      showError(err, true);
    }
  });
}

onSubmit(form, async (event) => {
  event.preventDefault();
  await check();
});

document.getElementById("trim-them").addEventListener("click", async () => {
  overlapSelect.value = "trim";
  await check();
});

realButton.addEventListener("click", async () => {
  if (!checked) return;
  const choice = checked;
  realButton.disabled = true;
  try {
    const answer = await send(choice, false);
    checked = null;
    showReport(answer, false);
    notice(`Imported ${plural(answer.imported, "event", "events")} from ${choice.name}.`);
  } catch (err) {
    showError(err, false);
  } finally {
    realButton.disabled = false;
  }
});

showFormat();

startPage(async (me) => chooseZone(zoneSelect, me.timezone));
