// Talking to /api/v1 with the session token, and what happens when it expires.
//
// The token lives in sessionStorage: it lasts as long as the tab, is not sent
// with every request like a cookie (so no CSRF), and is gone when the tab is
// closed. See the README ("Where the browser keeps the token").

const TOKEN_KEY = "lifelogger.token";
const NOTICE_KEY = "lifelogger.notice";
export const API_BASE = "/api/v1";

export function getToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(token) {
  clearToken(); // a new token may be another person's: forget what the tab kept about the last one
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function clearToken() {
  sessionStorage.removeItem(TOKEN_KEY);
  for (const key of TAB_DATA_KEYS) sessionStorage.removeItem(key);
}

// --- Working offline: who is signed in, kept for this tab (see queue.js) ---
const ME_KEY = "lifelogger.me";
// The tracker's last answers, to open it offline (pages/tracker.js).
export const TRACKER_SNAPSHOT_KEY = "lifelogger.tracker";
// Keys of what a page keeps for this tab about the signed-in person; dropped with the token.
const TAB_DATA_KEYS = [ME_KEY, TRACKER_SNAPSHOT_KEY];

/** Keep GET /me's answer for this tab, so a page opened offline knows who is signed in. */
export function rememberMe(me) {
  sessionStorage.setItem(ME_KEY, JSON.stringify(me));
}

/** The profile kept by rememberMe, or null. */
export function rememberedMe() {
  try {
    return JSON.parse(sessionStorage.getItem(ME_KEY));
  } catch {
    return null;
  }
}

/** Leave a message for the next page (shown once, e.g. on the login page). */
export function setNotice(text) {
  sessionStorage.setItem(NOTICE_KEY, text);
}

/** The message left by the previous page, removed as it is read. */
export function takeNotice() {
  const text = sessionStorage.getItem(NOTICE_KEY);
  sessionStorage.removeItem(NOTICE_KEY);
  return text;
}

/** An error answer of the API: {code, status, message, errors?}. */
export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `The server answered with status ${status}.`);
    this.status = status;
    this.body = body || {};
  }

  /** Field errors from the request body or query: {field: [messages]}. */
  get fieldErrors() {
    const errors = this.body.errors || {};
    return errors.json || errors.query || {};
  }
}

/** A same-origin path to return to after logging in, or "/". */
export function safeNext(value) {
  return value && value.startsWith("/") && !value.startsWith("//") && !value.startsWith("/\\") ? value : "/";
}

/** Send the person to the login page; `why` is shown there. */
export function goToLogin(why) {
  clearToken();
  if (why) setNotice(why);
  const next = location.pathname + location.search;
  location.assign(next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`);
}

/**
 * Call the API and return its JSON (null for 204).
 *
 * A 401 on an authenticated call means the session ended: the token is
 * dropped and the browser goes to the login page, saying why; the returned
 * promise never settles, so no half-finished update runs after it.
 */
export async function api(method, path, { body, query, auth = true } = {}) {
  let token = null;
  if (auth) {
    token = getToken();
    if (!token) {
      goToLogin(null);
      return new Promise(() => {});
    }
  }
  const { response, data } = await request(method, path, { body, query, token });
  if (response.status === 204) return null;
  if (response.status === 401 && auth) {
    goToLogin("Your session has expired or was ended. Log in again to continue.");
    return new Promise(() => {});
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/**
 * One request to the API, whatever its answer: {response, data} (data: the JSON
 * body, or null). Throws ApiError(0) when the server cannot be reached. api() and
 * the offline queue (which reads every status itself) both send through here.
 */
export async function request(method, path, { body, query, token, headers = {} } = {}) {
  const url = new URL(API_BASE + path, location.origin);
  for (const [key, value] of Object.entries(query || {})) url.searchParams.set(key, value);
  const sent = { Accept: "application/json", ...headers };
  if (body !== undefined) sent["Content-Type"] = "application/json";
  if (token) sent.Authorization = `Bearer ${token}`;
  const unreachable = new ApiError(0, { message: "Cannot reach the Life Logger server. Check your connection and try again." });
  if (!navigator.onLine) throw unreachable; // the browser knows it is offline: no request doomed to fail
  let response;
  try {
    response = await fetch(url, { method, headers: sent, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw unreachable;
  }
  let data = null;
  if (response.status !== 204) {
    try {
      data = await response.json();
    } catch {
      data = null;
    }
  }
  return { response, data };
}

/** Encode a label name as one path segment (names may contain "/"). */
export function labelPath(name) {
  return `/labels/${encodeURIComponent(name)}`;
}
