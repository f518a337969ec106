// Log in: POST /auth/login (with "keep me signed in": the device cookie too),
// keep the token for this tab, go where the person was.

import { ApiError, api, safeNext, setKeptSignedIn, setToken, takeNotice } from "../api.js";
import { busy, onSubmit, say } from "../dom.js";

const form = document.getElementById("login-form");
const error = document.getElementById("login-error");
const params = new URLSearchParams(location.search);

say(document.getElementById("notice"), takeNotice());
if (params.get("username")) form.elements.username.value = params.get("username");
(form.elements.username.value ? form.elements.password : form.elements.username).focus();

onSubmit(form, async (event) => {
  event.preventDefault();
  say(error, "");
  const username = form.elements.username.value.trim();
  const password = form.elements.password.value;
  const remember = form.elements.remember.checked;
  if (!username || !password) {
    say(error, "Enter your username and your password.");
    return;
  }
  await busy(form, async () => {
    try {
      const answer = await api("POST", "/auth/login", { body: { username, password, remember }, auth: false });
      setToken(answer.token);
      setKeptSignedIn(remember);
      location.assign(safeNext(params.get("next")));
    } catch (err) {
      say(error, err instanceof ApiError && err.status === 401 ? "Wrong username or password." : err.message);
      form.elements.password.select();
    }
  });
});
