// Account: display name (PATCH /me) and password (POST /me/password).

import { ApiError, api } from "../api.js";
import { busy, markFieldErrors, onSubmit, say } from "../dom.js";
import { formatDateTime } from "../format.js";
import { notice, startPage } from "../shell.js";

const profileForm = document.getElementById("profile-form");
const passwordForm = document.getElementById("password-form");

function showProfile(me) {
  document.getElementById("profile-username").textContent = me.username;
  document.getElementById("profile-created").textContent = formatDateTime(new Date(me.created_at));
  document.getElementById("signed-in-as").textContent = me.display_name;
  profileForm.elements.display_name.value = me.display_name;
  passwordForm.elements.username.value = me.username;
}

onSubmit(profileForm, async (event) => {
  event.preventDefault();
  const error = profileForm.querySelector(".form-error");
  say(error, "");
  const displayName = profileForm.elements.display_name.value.trim();
  if (!displayName) return say(error, "Enter a display name.");
  await busy(profileForm, async () => {
    try {
      showProfile(await api("PATCH", "/me", { body: { display_name: displayName } }));
      markFieldErrors(profileForm, {});
      notice("Display name saved.");
    } catch (err) {
      markFieldErrors(profileForm, err.fieldErrors);
      say(error, err.message);
    }
  });
});

onSubmit(passwordForm, async (event) => {
  event.preventDefault();
  const error = passwordForm.querySelector(".form-error");
  say(error, "");
  markFieldErrors(passwordForm, {});
  const current = passwordForm.elements.current_password.value;
  const next = passwordForm.elements.new_password.value;
  if (!current || !next) return say(error, "Enter your current password and a new one.");
  if (next !== passwordForm.elements.new_password2.value) {
    markFieldErrors(passwordForm, { new_password2: true });
    return say(error, "The two new passwords differ; type the same new password twice.");
  }
  await busy(passwordForm, async () => {
    try {
      await api("POST", "/me/password", { body: { current_password: current, new_password: next } });
      passwordForm.reset();
      notice("Password changed. Your other sessions were logged out.");
    } catch (err) {
      if (err instanceof ApiError && err.status === 403) markFieldErrors(passwordForm, { current_password: true });
      else markFieldErrors(passwordForm, err.fieldErrors);
      say(error, err.message);
    }
  });
});

startPage(async (me) => showProfile(me));
