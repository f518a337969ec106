// Import: upload a file with POST /import?dry_run=true, show the report, and
// only then offer "Import for real" for the same file, format and zone.

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
const report = document.getElementById("report");
const reportHeading = document.getElementById("report-heading");
const realButton = document.getElementById("import-for-real");

// What the last dry run checked: the real import sends exactly this.
let checked = null;

function needsZone() {
  return formatSelect.selectedOptions[0].hasAttribute("data-needs-timezone");
}

function showFormat() {
  document.getElementById("import-format-hint").textContent = `Where to get it: ${formatSelect.selectedOptions[0].dataset.where}.`;
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
form.elements.file.addEventListener("change", forgetReport);
zoneSelect.addEventListener("change", forgetReport);

const plural = (count, one, many) => `${count} ${count === 1 ? one : many}`;

/** Show an import report (a 200 answer, or the body of a 422 with errors per row). */
function showReport(answer, dryRun) {
  const errors = Array.isArray(answer.errors) ? answer.errors : [];
  report.hidden = false;
  const ok = errors.length === 0;
  const imported = answer.imported ?? 0;
  if (!ok) {
    reportHeading.textContent = dryRun ? "Dry run: this file cannot be imported yet" : "Nothing was imported";
    document.getElementById("report-summary").textContent =
      `${plural(errors.length, "row has a problem", "rows have problems")}, so nothing ${dryRun ? "would be" : "was"} imported (an import is all or nothing). Fix ${errors.length === 1 ? "it" : "them"} in the file and check it again.`;
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
  const created = answer.labels_created || [];
  document.getElementById("report-labels").textContent = created.length ? created.join(", ") : "none";
  document.getElementById("report-errors").hidden = ok;
  document.getElementById("report-error-rows").replaceChildren(
    ...errors.map((error) => el("tr", {}, el("td", { class: "num", text: String(error.row) }), el("td", { text: error.message }))),
  );
  realButton.hidden = !(dryRun && ok && imported > 0);
  document.getElementById("report-timeline").hidden = dryRun || !ok;
  reportHeading.focus();
}

async function send(choice, dryRun) {
  const body = new FormData();
  body.append("file", choice.file);
  const query = { format: choice.format, dry_run: dryRun ? "true" : "false" };
  if (choice.timezone) query.timezone = choice.timezone;
  return api("POST", "/import", { query, body });
}

/** Show an error answer: a report (422 with rows), a field error, or the message. */
function showError(err, dryRun) {
  if (err instanceof ApiError && err.status === 422 && Array.isArray(err.body.errors)) {
    showReport(err.body, dryRun);
    return;
  }
  const errors = (err.body && err.body.errors) || {};
  const fields = { ...errors, ...(errors.query || {}) };
  if (fields.timezone) {
    zoneSelect.setAttribute("aria-invalid", "true");
    say(zoneError, [].concat(fields.timezone).join(" "));
  }
  if (fields.file) form.elements.file.setAttribute("aria-invalid", "true");
  say(formError, err.message);
}

onSubmit(form, async (event) => {
  event.preventDefault();
  forgetReport();
  say(formError, "");
  say(zoneError, "");
  markFieldErrors(form, {});
  const file = form.elements.file.files[0];
  if (!file) {
    markFieldErrors(form, { file: true });
    return say(formError, "Choose the file to import.");
  }
  const choice = { file, format: formatSelect.value, timezone: needsZone() ? zoneSelect.value : null };
  await busy(form, async () => {
    try {
      showReport(await send(choice, true), true);
      checked = choice;
    } catch (err) {
      showError(err, true);
    }
  });
});

realButton.addEventListener("click", async () => {
  if (!checked) return;
  const choice = checked;
  realButton.disabled = true;
  try {
    const answer = await send(choice, false);
    checked = null;
    showReport(answer, false);
    notice(`Imported ${plural(answer.imported, "event", "events")} from ${choice.file.name}.`);
  } catch (err) {
    showError(err, false);
  } finally {
    realButton.disabled = false;
  }
});

showFormat();

startPage(async (me) => chooseZone(zoneSelect, me.timezone));
