// What every signed-in page does first: make sure there is a token, show who
// is signed in, wire the Log out button, show a message left by the last page.

import { api, clearToken, getToken, goToLogin, setNotice, takeNotice } from "./api.js";
import { say } from "./dom.js";

export function notice(text) {
  say(document.getElementById("notice"), text);
}

/**
 * Start a signed-in page: `init(me)` gets the profile from GET /me.
 * Errors the page does not handle are shown in the notice area.
 */
export async function startPage(init) {
  if (!getToken()) {
    goToLogin(null);
    return;
  }
  document.getElementById("logout").addEventListener("click", logOut);
  const left = takeNotice();
  if (left) notice(left);
  try {
    const me = await api("GET", "/me");
    document.getElementById("signed-in-as").textContent = me.display_name;
    await init(me);
  } catch (error) {
    notice(error.message);
  }
}

async function logOut() {
  try {
    await api("POST", "/auth/logout");
  } catch {
    // The token is dropped below either way.
  }
  clearToken();
  setNotice("You are logged out.");
  location.assign("/login");
}
